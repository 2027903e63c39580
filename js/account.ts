// Reading an account's options, as `new Totp`, `new Hotp`, `buildUri` (the `twofa` entry),
// `buildMigrationUris` (`twofa/migration`) and `exportAegis` (`twofa/import`) take them: one
// reader for every module, and one way to send a list of them.

import type { Algorithm } from "./glue/twofa.js";
import { bad, counter, num, optString, str } from "./runtime.js";

/** The options of a TOTP account, as `new Totp` and `buildUri` take them; `S` is the secret's type. */
export interface TotpFields<S> {
  /** The shared secret: base32 text (either case; spaces, hyphens and `=` padding allowed). */
  secret: S;
  /** Default `"SHA1"`. */
  algorithm?: Algorithm | undefined;
  /** 6 to 10, default 6. Steam codes always have 5 characters. */
  digits?: number | undefined;
  /** The time step in whole seconds, at least 1; default 30. */
  period?: number | undefined;
  /** T0 in Unix milliseconds; default 0. */
  epoch?: number | undefined;
  /** `"steam"` for Steam Guard codes. */
  encoder?: "steam" | undefined;
  issuer?: string | undefined;
  account?: string | undefined;
  /** A logo URL, written as the URI's `image` parameter. */
  image?: string | undefined;
}

/** The options of an HOTP account, as `new Hotp` and `buildUri` take them; `S` is the secret's type. */
export interface HotpFields<S> {
  /** The shared secret: base32 text (either case; spaces, hyphens and `=` padding allowed). */
  secret: S;
  /** Default `"SHA1"`. */
  algorithm?: Algorithm | undefined;
  /** 6 to 10, default 6. */
  digits?: number | undefined;
  /** The counter that `generate()` and `verify()` use when given none; default 0. */
  counter?: number | bigint | undefined;
  issuer?: string | undefined;
  account?: string | undefined;
  /** A logo URL, written as the URI's `image` parameter. */
  image?: string | undefined;
}

/** An account as options: `type` (default `"totp"`) picks TOTP or HOTP fields. */
export type AccountOptions<S> = (TotpFields<S> & { type?: "totp" | undefined }) | (HotpFields<S> & { type: "hotp" });

const KEYS = [
  "type", "secret", "algorithm", "digits", "period", "epoch", "counter", "encoder", "issuer", "account", "image",
] as const;

/** The longest base32 text read: 1,024 bytes take 1,639 characters, and people add spaces. */
export const MAX_BASE32 = 4096;

/** An account's options, each checked for its JavaScript type, as the modules take them. */
export interface AccountFields {
  hotp: boolean;
  /** The `secret` option as given: base32 text, or an object for the caller to resolve. */
  secret: unknown;
  /** The texts, in the order the modules read them: algorithm, counter digits, encoder, issuer, account, image. */
  texts: [string | undefined, string | undefined, string | undefined, string | undefined, string | undefined, string | undefined];
  digits: number;
  period: number;
  epoch: number;
  counter: number;
}

/**
 * Reads an account's options. `hotp` picks `Hotp`'s options or `Totp`'s; `undefined`
 * reads the kind from `type`, as `buildUri` does. Throws a Bad at the first value of the
 * wrong type, in the order the options are declared.
 */
export function readAccount(options: unknown, place: string, hotp?: boolean): AccountFields {
  if (options === undefined || options === null) bad(`${place}:required`);
  if (typeof options !== "object" && typeof options !== "function") bad(`${place}:object`);
  // Each option read once, here rather than by `read`: one shape of object at this site
  // keeps constructing a generator fast.
  let o!: Record<(typeof KEYS)[number], unknown>;
  try {
    const { type, secret, algorithm, digits, period, epoch, counter, encoder, issuer, account, image } =
      options as Record<string, unknown>;
    o = { type, secret, algorithm, digits, period, epoch, counter, encoder, issuer, account, image };
  } catch {
    bad(`${place}:unreadable`);
  }
  const type = hotp === undefined ? optString(o.type, "type") : undefined;
  if (type !== undefined && type !== "totp" && type !== "hotp") bad("type");
  const isHotp = hotp ?? type === "hotp";
  const algorithm = optString(o.algorithm, "algorithm");
  const digits = num(o.digits, "digits");
  const period = isHotp ? NaN : num(o.period, "period");
  const epoch = isHotp ? NaN : num(o.epoch, "epoch");
  const [count, countDigits] = isHotp ? counter(o.counter) : [NaN, undefined];
  const encoder = optString(o.encoder, "encoder");
  const issuer = optString(o.issuer, "issuer");
  const account = optString(o.account, "account");
  const image = optString(o.image, "image");
  if (o.secret === undefined || o.secret === null) bad("secret:required");
  const secret = typeof o.secret === "string" ? str(o.secret, "secret", MAX_BASE32) : o.secret;
  return {
    hotp: isHotp,
    secret,
    texts: [algorithm, countDigits, encoder, issuer, account, image],
    digits,
    period,
    epoch,
    counter: count,
  };
}

/**
 * Sends the accounts of an export built one call at a time (`twofa/migration`'s and
 * `twofa/import`'s): `begin` empties the module's list, then `add` sends each account.
 * When one fails, `begin` drops the accounts sent so far (and zeroes their secrets) at
 * once, and the error names the account's index (`account 3: …`).
 */
export function sendAccounts<T>(
  wasm: { check(r: number): number; coded(err: unknown): unknown },
  list: readonly T[],
  begin: () => number,
  add: (account: T) => void,
): void {
  wasm.check(begin());
  list.forEach((account, index) => {
    try {
      add(account);
    } catch (err) {
      begin();
      const coded = wasm.coded(err) as Error;
      const prefix = `account ${index}: `;
      if (!coded.message.startsWith(prefix)) coded.message = prefix + coded.message;
      throw coded;
    }
  });
}
