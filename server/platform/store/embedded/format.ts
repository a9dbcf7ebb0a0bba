/**
 * C's `%.<precision>g` of a double, exactly as glibc prints it (round half to even on the exact
 * binary value). Redis's Lua prints numbers with `%.14g` (tostring, `..`, cjson) and formats
 * `redis.call` arguments with `%.17g`; JavaScript's toPrecision rounds ties away from zero, which
 * differs on values such as 12345678901234.5.
 */
export function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return '-nan'; // what 0/0 prints on x86-64, the NaN scripts can make
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // The common case, exact integers that fit: no rounding, no exponent (String() is exact below 2^53).
  if (Number.isSafeInteger(x) && Math.abs(x) < 10 ** precision) return String(x);
  const negative = x < 0;
  const [digits, exponent] = roundedDigits(Math.abs(x), precision);
  const body = exponent < -4 || exponent >= precision ? scientific(digits, exponent) : fixed(digits, exponent);
  return negative ? `-${body}` : body;
}

/** Significant digits (at most `precision`, trailing zeros dropped) and the decimal exponent of the first. */
function roundedDigits(x: number, precision: number): [string, number] {
  const [all, exponent] = exactDecimal(x);
  if (all.length <= precision) return [all.replace(/0+$/, '') || '0', exponent];
  const kept = all.slice(0, precision);
  const rest = all.slice(precision);
  const half = rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || Number(kept.at(-1)) % 2 === 1));
  if (!half) return [kept.replace(/0+$/, '') || '0', exponent];
  const up = (BigInt(kept) + 1n).toString();
  // 999… rounded up gains a digit: the exponent moves and the digits are "1".
  return up.length > kept.length ? ['1', exponent + 1] : [up.replace(/0+$/, ''), exponent];
}

/** Every decimal digit of a positive finite double (no leading zeros) and the exponent of the first. */
function exactDecimal(x: number): [string, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const power = (biased === 0 ? 1 : biased) - 1075;
  // x = mantissa * 2^power; for negative powers, x = mantissa * 5^-power / 10^-power.
  const digits = power >= 0 ? (mantissa << BigInt(power)).toString() : (mantissa * 5n ** BigInt(-power)).toString();
  const scale = power >= 0 ? 0 : -power;
  return [digits.replace(/0+$/, '') || '0', digits.length - 1 - scale];
}

function scientific(digits: string, exponent: number): string {
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function fixed(digits: string, exponent: number): string {
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return digits + '0'.repeat(exponent + 1 - digits.length);
  return `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}
