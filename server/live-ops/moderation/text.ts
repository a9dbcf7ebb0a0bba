import { Mint } from 'mint-filter';

/**
 * Comment text as keywords are matched against it: NFKC (full-width letters and digits become
 * half-width, compatibility forms their plain letters), lower case, and nothing but letters and
 * digits, so "加 微 信", "加*微*信" and "ＶＸ１２３" read as "加微信" and "vx123".
 */
export function folded(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A keyword list compiled once into an Aho–Corasick automaton: one pass over a comment finds any of them. */
export class KeywordMatcher {
  private readonly mint: Mint | undefined;

  constructor(words: readonly string[]) {
    const keys = [...new Set(words.map(folded).filter(Boolean))];
    this.mint = keys.length ? new Mint(keys) : undefined;
  }

  matches(text: string): boolean {
    return this.mint !== undefined && !this.mint.verify(folded(text));
  }
}
