import { folded } from './text.ts';

/**
 * Where a platform's text check plugs in (WeChat's `msgSecCheck`: the mini-program's server calls it
 * with the viewer's openid and the text, and it answers risky or not). A flagged comment is handled
 * as a keyword's is: only its author sees it.
 */
export interface ContentCheck {
  flagged(text: string): Promise<boolean>;
}

/** No check: the default. */
export const noContentCheck: ContentCheck = { flagged: async () => false };

/** A stand-in that flags text containing any of `words` (folded as keywords are), for development and tests. */
export function fakeContentCheck(words: readonly string[]): ContentCheck {
  const flags = words.map(folded).filter(Boolean);
  return { flagged: async (text) => flags.some((word) => folded(text).includes(word)) };
}
