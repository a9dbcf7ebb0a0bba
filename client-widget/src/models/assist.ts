import type { AssistView } from '../../../server/protocol/views.ts';
import type { RoomcastClient } from '../sdk/client.ts';

/**
 * An assist (助力) as a viewer sees it, for every renderer (`<rc-assist>`, the mini-program
 * `rc-assist`): start one of the campaign and follow its helpers to the target (the owner's personal
 * `assist.progress` and `assist.completed`), or, opened from a friend's share with its `code`, help
 * that one. `changed` after every change.
 */
export class AssistModel {
  assist: AssistView | undefined;
  error = '';
  private readonly offs: Array<() => void>;

  constructor(private readonly client: RoomcastClient, private readonly room: string, private readonly campaign: string, readonly code: string | undefined, private readonly changed: () => void) {
    this.offs = ['assist.progress', 'assist.completed'].map((type) => client.on(type, (e) => {
      const view = e.data as AssistView;
      if (this.assist && view.id === this.assist.id) {
        this.assist = { ...this.assist, ...view };
        changed();
      }
    }));
  }

  /** Starts an assist, or helps the shared one; answers it (undefined when refused: see `error`). */
  async act(): Promise<AssistView | undefined> {
    try {
      this.assist = (this.code ? await this.client.help({ shareCode: this.code }) : await this.client.startAssist(this.room, this.campaign)).assist;
      this.error = '';
    } catch (err) {
      this.error = (err as { code?: string })?.code ?? 'error';
    }
    this.changed();
    return this.assist;
  }

  dispose(): void {
    for (const off of this.offs) off();
  }
}
