import type { GroupProgress, GroupView } from '../../../server/protocol/views.ts';
import type { RoomcastClient } from '../sdk/client.ts';

/**
 * A group-buy as a viewer sees it, for every renderer (`<rc-group-buy>`, the mini-program
 * `rc-group-buy`): open a group of the campaign, or join the one named (from a share link), then
 * follow its seats filling live (state `group:{id}`). `changed` after every change.
 */
export class GroupBuyModel {
  group: GroupView | undefined;
  error = '';
  private readonly off: () => void;

  constructor(private readonly client: RoomcastClient, private readonly room: string, private readonly campaign: string, private readonly named: string | undefined, private readonly changed: () => void) {
    this.off = client.on('state', (e) => {
      if (e.room && e.room !== room) return;
      const { key, value } = e.data as { key: string; value: GroupProgress };
      if (this.group && key === `group:${this.group.id}`) {
        this.group = { ...this.group, ...value };
        changed();
      }
    });
  }

  /** Opens a group, or joins the named one; answers the group (undefined when refused: see `error`). */
  async act(): Promise<GroupView | undefined> {
    try {
      this.group = (this.named ? await this.client.joinGroup(this.room, this.named) : await this.client.openGroup(this.room, this.campaign)).group;
      this.error = '';
    } catch (err) {
      this.error = (err as { code?: string })?.code ?? 'error';
    }
    this.changed();
    return this.group;
  }

  dispose(): void {
    this.off();
  }
}
