// The `twofa/flows` entry: backup, recovery and e-mail/SMS verification codes, security
// answers, trusted devices and throttling, as pure functions over plain JSON records that
// the caller keeps.
// Every rule is in Rust (src/wasm/flows/, src/flows/).

import initWasm, * as glue from "./glue/flows.js";
import type {
  ActionLinkCheck,
  BackupCheck,
  BackupCodes,
  BackupRecordJson,
  DeviceCheck,
  IssuedActionLink,
  IssuedDeviceToken,
  IssuedRecoveryCode,
  IssuedVerificationCode,
  RecoveryCheck,
  RecoveryRecord,
  SecurityAnswersCheck,
  SecurityAnswersRecord,
  ThrottleDecision,
  ThrottleState,
  VerificationCheck,
  VerificationRecord,
} from "./glue/flows.js";
import { bad, exact, isBytes, items, json, Module, num, optExact, read, record, str, view } from "./runtime.js";
import type { InitInput, Instance, ModuleSource } from "./runtime.js";

export type {
  ActionLinkAccepted,
  ActionLinkCheck,
  ActionLinkRefused,
  ActionLinkRejection,
  BackupCheck,
  BackupCodes,
  DeviceAccepted,
  DeviceCheck,
  DeviceRefused,
  DeviceRejection,
  ErrorCode,
  IssuedActionLink,
  IssuedDeviceToken,
  IssuedRecoveryCode,
  IssuedVerificationCode,
  RecoveryCheck,
  RecoveryRecord,
  RecoveryStatus,
  SecurityAnswersCheck,
  SecurityAnswersRecord,
  ThrottleDecision,
  ThrottleState,
  VerificationCheck,
  VerificationOutcome,
  VerificationRecord,
} from "./glue/flows.js";

/** What a site stores for a set of backup codes: salted hashes, never a code. */
export type BackupRecord = BackupRecordJson;

const wasm = new Module(glue, "twofa/flows");


/** What `init` and `initSync` resolve to: the module's memory, for inspection. */
export type { InitInput, Instance, ModuleSource };

/**
 * Loads the WebAssembly module; call it once before anything else in a browser (Node needs
 * no init). Without an argument it fetches `flows_bg.wasm` from beside this file.
 */
export default async function init(options?: { module_or_path: InitInput | Promise<InitInput> }): Promise<Instance> {
  return wasm.loaded(await initWasm(options));
}

/** Loads the module from its bytes or a compiled `WebAssembly.Module`, synchronously. */
export function initSync(options: { module: ModuleSource }): Instance {
  return wasm.loaded(glue.initSync(options));
}

/** Answers with the record JSON the module wrote. */
function answer<T>(r: number): T {
  return record<T>(wasm.read(wasm.check(r)));
}

/** The longest user name read. */
const MAX_USER = 1024;

/**
 * The revision of a record that a new one replaces, as the module takes it: `NaN` for no
 * record, 0 for a record older than revisions. The module checks it.
 */
function revisionOf(replaces: unknown): number {
  if (replaces === undefined || replaces === null) return NaN;
  const { revision } = read(replaces, ["revision"] as const, "replaces");
  return revision === undefined || revision === null ? 0 : num(revision, "revision");
}

// ---------------------------------------------------------------------------------------
// Backup codes

/** Options of `generateBackupCodes`. */
export interface BackupCodesOptions {
  /** 1 to 100; default 10. */
  count?: number | undefined;
  /** Unix ms; default `Date.now()`. */
  now?: number | undefined;
  /**
   * A site key (16 to 1,024 random bytes, or their base32 text, as for device tokens) to
   * seal each code with, so that `revealBackupCodes` can show the unused ones again.
   * Without it the record holds only hashes. Keep the key as you keep TOTP secrets.
   */
  key?: DeviceKey | undefined;
  /** The record this set replaces: the new record's revision is one more than its. */
  replaces?: BackupRecord | undefined;
}

/**
 * Makes a set of backup codes: `count` (default 10) codes of 12 characters
 * (`XXXX-XXXX-XXXX`, 60 bits), and the record to store, which holds only salted
 * PBKDF2-SHA-256 hashes (and, with `key`, each code sealed under it). Show the codes once.
 * A new set replaces the old record (pass it as `replaces`), and the old codes then match
 * nothing. Throws `INVALID_OPTIONS`, `INVALID_KEY`, `INVALID_RECORD` (for `replaces`) or
 * `ENTROPY_UNAVAILABLE`.
 *
 * ```js
 * const { codes, record } = generateBackupCodes({ key: siteKey, replaces: user.backup });
 * await db.save(user, { backup: record }); // compare-and-swap on user.backup.revision
 * showOnce(codes);
 * ```
 */
export function generateBackupCodes(options?: BackupCodesOptions): BackupCodes {
  return wasm.guard(() => {
    const o = read(options, ["count", "now", "key", "replaces"] as const, "backup");
    const replaces = revisionOf(o.replaces);
    const k = o.key === undefined || o.key === null ? undefined : framed([o.key], "key");
    try {
      const [a] = wasm.input([k]);
      return answer<BackupCodes>(glue.generate_backup_codes(a!, replaces, num(o.count, "count"), num(o.now, "now:time")));
    } finally {
      k?.fill(0);
    }
  });
}

/**
 * The unused codes of a set made with a `key`, in order (`XXXX-XXXX-XXXX`), for "view your
 * backup codes": spent codes are never shown. `keys` is the site key, or the current key
 * first and then retired ones, as for `verifyDeviceToken`. Throws `INVALID_KEY`, or
 * `INVALID_RECORD` for a set made without a key, or one that no key opens (a wrong key,
 * or a changed record).
 *
 * ```js
 * // After a current authenticator code:
 * showAgain(revealBackupCodes([siteKey, oldSiteKey], user.backup));
 * ```
 */
export function revealBackupCodes(keys: DeviceKey | readonly DeviceKey[], backup: BackupRecord): string[] {
  return wasm.guard(() => {
    const list = typeof keys === "string" || isBytes(keys) ? [keys] : items(keys, "keys", 64);
    const k = framed(list, "key");
    try {
      const [a, b] = wasm.input([k, json(backup, "record")]);
      return answer<string[]>(glue.reveal_backup_codes(a!, b!));
    } finally {
      k.fill(0);
    }
  });
}

/**
 * Checks a typed backup code (any case; spaces, hyphens, and `O`/`I`/`L` for `0`/`1`/`1`
 * forgiven). Returns `{ matched, remaining, record }`: store `record`, in which a matched
 * code is spent. Throws `INVALID_TOKEN` for input that cannot be a code (nothing is
 * spent), or `INVALID_RECORD`.
 */
export function verifyBackupCode(backup: BackupRecord, input: string): BackupCheck {
  return wasm.guard(() => {
    const [r, c] = wasm.input([json(backup, "record"), str(input, "code")]);
    return answer<BackupCheck>(glue.verify_backup_code(r!, c!));
  });
}

/**
 * The codes as plain text for "Print" and "Download": a title (from `issuer`), the
 * account, the date (`date`, default now, as `YYYY-MM-DD` UTC), the numbered codes, and how
 * to keep them.
 */
export function backupCodesText(
  codes: readonly string[],
  options: { account: string; issuer?: string | undefined; date?: number | undefined },
): string {
  return wasm.guard(() => {
    const list = items(codes, "codes:strings", 100).map((c) => str(c, "codes:strings", 64));
    const o = read(options, ["account", "issuer", "date"] as const, "text", true);
    if (o.account === undefined || o.account === null) bad("account:required");
    const account = exact(o.account, "account", MAX_USER);
    const issuer = optExact(o.issuer, "issuer", MAX_USER);
    const [l, a, i] = wasm.input([JSON.stringify(list), account, issuer]);
    return wasm.read(wasm.check(glue.backup_codes_text(l!, a!, i!, num(o.date, "date"))));
  });
}

// ---------------------------------------------------------------------------------------
// Security answers

/** A security question and the user's answer to it. */
export interface SecurityAnswerEntry {
  /** Stored in the clear: 1 to 256 characters, not a repeat of another question. */
  question: string;
  /** Never stored: 1 to 256 characters, not empty once normalised. */
  answer: string;
}

/** The longest question or answer, in characters. */
const MAX_ANSWER = 256;

/**
 * Hashes answers to security questions into the record to store: the questions in the
 * clear, and one Argon2id hash (19 MiB, 2 passes, a new 16-byte salt) of every answer
 * together, after `normalizeSecurityAnswer`. No answer is stored, and an attacker with the
 * record must guess all of them at once. Takes about 70 ms in Node. The record's
 * `revision` is one more than that of the record it `replaces` (1 for the first): store it
 * with a compare-and-swap on the old revision. Throws `INVALID_OPTIONS` (1 to 10 questions,
 * distinct; each question and answer 1 to 256 characters; the message says which, never
 * what an answer was), `INVALID_RECORD` for a malformed `replaces`, or
 * `ENTROPY_UNAVAILABLE`.
 *
 * ```js
 * const record = hashSecurityAnswers(
 *   [
 *     { question: "What was the name of your first pet?", answer: "Fluffy" },
 *     { question: "In which town were you born?", answer: "Ås" },
 *   ],
 *   { replaces: user.answers }, // the record this one replaces, if any
 * );
 * await db.save(user, { answers: record });
 * ```
 */
export function hashSecurityAnswers(
  entries: readonly SecurityAnswerEntry[],
  options?: { now?: number | undefined; replaces?: SecurityAnswersRecord | undefined },
): SecurityAnswersRecord {
  return wasm.guard(() => {
    const questions: string[] = [];
    const given: string[] = [];
    for (const entry of items(entries, "entries:list", 100)) {
      const e = read(entry, ["question", "answer"] as const, "entry", true);
      questions.push(exact(e.question, "question", MAX_ANSWER));
      given.push(exact(e.answer, "answer", MAX_ANSWER));
    }
    const o = read(options, ["now", "replaces"] as const, "options");
    const replaces = o.replaces === undefined || o.replaces === null ? undefined : json(o.replaces, "record");
    const [q, a, r] = wasm.input([JSON.stringify(questions), JSON.stringify(given), replaces]);
    return answer<SecurityAnswersRecord>(glue.hash_security_answers(q!, a!, r!, num(o.now, "now:time")));
  });
}

/**
 * Checks answers, in the order of the record's questions. Returns `{ matched }`: `true`
 * only when every answer matches after `normalizeSecurityAnswer`. Count each
 * `matched: false` with the throttle (`throttleFailure`): the throttle, not the hash's
 * cost, is what bounds guessing through the form. Throws `INVALID_OPTIONS` for a number of
 * answers other than the record's questions or an answer that is empty once normalised
 * (nothing to count), or `INVALID_RECORD` for a record that `hashSecurityAnswers` cannot
 * have made, or whose cost is over 64 MiB or 10 passes.
 *
 * ```js
 * const { matched } = verifySecurityAnswers(user.answers, [form.answer1, form.answer2]);
 * user.throttle = matched ? throttleSuccess() : throttleFailure(user.throttle);
 * ```
 */
export function verifySecurityAnswers(record: SecurityAnswersRecord, answers: readonly string[]): SecurityAnswersCheck {
  return wasm.guard(() => {
    const given = items(answers, "answers:strings", 100).map((a) => exact(a, "answer", MAX_ANSWER));
    const [r, a] = wasm.input([json(record, "record"), JSON.stringify(given)]);
    return answer<SecurityAnswersCheck>(glue.verify_security_answers(r!, a!));
  });
}

/**
 * An answer as `hashSecurityAnswers` and `verifySecurityAnswers` see it: NFKC, case
 * folded (`ß` is `ss`, final `ς` is `σ`), default-ignorable characters such as the soft
 * hyphen removed, runs of white space one space, and no white space at either end. Show it
 * to the user ("we will remember this as …") or check it is not empty. Throws
 * `INVALID_OPTIONS` for an answer over 256 characters.
 *
 * ```js
 * normalizeSecurityAnswer("  Fluffy  the   CAT "); // "fluffy the cat"
 * normalizeSecurityAnswer("Ｓｔｒａße"); // "strasse"
 * ```
 */
export function normalizeSecurityAnswer(answer: string): string {
  return wasm.guard(() => {
    const [a] = wasm.input([exact(answer, "answer", MAX_ANSWER)]);
    return wasm.read(wasm.check(glue.normalize_security_answer(a!)));
  });
}

// ---------------------------------------------------------------------------------------
// Recovery codes

/**
 * Issues a recovery code for `user`, valid for `ttl` ms (default an hour) from `now`.
 * Returns `{ code, record }`: give the code to the user, add the record to the user's
 * list (or store it in place of `replaces`, whose revision it follows). Codes are 16
 * characters (`XXXX-XXXX-XXXX-XXXX`, 80 bits). Throws `INVALID_OPTIONS`, `INVALID_RECORD`
 * (for `replaces`) or `ENTROPY_UNAVAILABLE`.
 */
export function issueRecoveryCode(options: {
  user: string;
  ttl?: number | undefined;
  now?: number | undefined;
  replaces?: RecoveryRecord | undefined;
}): IssuedRecoveryCode {
  return wasm.guard(() => {
    const o = read(options, ["user", "ttl", "now", "replaces"] as const, "recovery", true);
    if (o.user === undefined || o.user === null) bad("user:required");
    const user = exact(o.user, "user", MAX_USER);
    return answer<IssuedRecoveryCode>(glue.issue_recovery_code(wasm.text(user), revisionOf(o.replaces), num(o.ttl, "ttl:ms"), num(o.now, "now:time")));
  });
}

/**
 * Checks a recovery code typed for `user` against the issued records. Returns
 * `{ status: "OK" | "EXPIRED" | "USED" | "UNKNOWN", records }`: store `records`, in which
 * an accepted code is spent. A code issued for another user is `UNKNOWN`. Throws
 * `INVALID_TOKEN` for input that cannot be a code, or `INVALID_RECORD`.
 */
export function verifyRecoveryCode(
  records: readonly RecoveryRecord[],
  options: { user: string; code: string; now?: number | undefined },
): RecoveryCheck {
  return wasm.guard(() => {
    const list = json(items(records, "records", 10_000), "records");
    const o = read(options, ["user", "code", "now"] as const, "recovery", true);
    if (o.user === undefined || o.user === null) bad("user:required");
    const user = exact(o.user, "user", MAX_USER);
    const [r, u, c] = wasm.input([list, user, str(o.code, "code")]);
    return answer<RecoveryCheck>(glue.verify_recovery_code(r!, u!, c!, num(o.now, "now:time")));
  });
}

// ---------------------------------------------------------------------------------------
// Verification codes

/** Options of `issueVerificationCode`. */
export interface VerificationCodeOptions {
  /** 6 to 10; default 6. */
  digits?: number | undefined;
  /** Lifetime in ms; default 600000 (10 minutes). */
  ttl?: number | undefined;
  /** Wrong tries before the code is dead; default 5. */
  maxAttempts?: number | undefined;
  /** Unix ms; default `Date.now()`. */
  now?: number | undefined;
  /** The record of the code this one replaces ("send again"): the new revision follows its. */
  replaces?: VerificationRecord | undefined;
}

/**
 * Makes a numeric code to send by e-mail or SMS: `digits` (default 6), valid for `ttl` ms
 * (default 10 minutes), dead after `maxAttempts` wrong tries (default 5). Returns
 * `{ code, record }`; the record holds a salted hash, not the code.
 */
export function issueVerificationCode(options?: VerificationCodeOptions): IssuedVerificationCode {
  return wasm.guard(() => {
    const o = read(options, ["digits", "ttl", "maxAttempts", "now", "replaces"] as const, "verification");
    return answer<IssuedVerificationCode>(
      glue.issue_verification_code(revisionOf(o.replaces), num(o.digits, "digits"), num(o.ttl, "ttl:ms"), num(o.maxAttempts, "maxAttempts:number"), num(o.now, "now:time")),
    );
  });
}

/**
 * Checks a typed verification code. Returns `{ outcome, attemptsLeft, record }` with
 * `outcome` one of `"OK"`, `"WRONG"` (a try is spent), `"EXPIRED"`, `"LOCKED"` (no tries
 * left) or `"USED"`; store `record`. Throws `INVALID_TOKEN` for input that cannot be a
 * code (no try is spent), or `INVALID_RECORD`.
 */
export function verifyVerificationCode(
  sent: VerificationRecord,
  input: string,
  options?: { now?: number | undefined },
): VerificationCheck {
  return wasm.guard(() => {
    const o = read(options, ["now"] as const, "verify");
    const [r, c] = wasm.input([json(sent, "record"), str(input, "code")]);
    return answer<VerificationCheck>(glue.verify_verification_code(r!, c!, num(o.now, "now:time")));
  });
}

// ---------------------------------------------------------------------------------------
// Trusted devices

/**
 * An HMAC key for device tokens and action links: 16 to 1,024 random bytes (32 is right),
 * or their base32 text. (A `Secret` of the `twofa` entry cannot cross into this module: pass its
 * `toBytes()` or `toBase32()`.)
 */
export type DeviceKey = Uint8Array | string;

const encoder = new TextEncoder();

/**
 * Keys framed for the module: a kind byte (0 bytes, 1 base32 text), a 4-byte length, the
 * key. The caller zeroes what this returns; the UTF-8 copies of text keys made on the way
 * are zeroed here, whether or not framing succeeds.
 */
function framed(keys: readonly unknown[], place: string): Uint8Array {
  const encoded: Uint8Array[] = [];
  try {
    const parts = keys.map((key) => {
      if (typeof key === "string") {
        const text = encoder.encode(str(key, place, 4096));
        encoded.push(text);
        return [1, text] as const;
      }
      if (isBytes(key)) {
        const bytes = view(key, place);
        return [0, bytes.length > 4096 ? new Uint8Array(4097) : bytes] as const;
      }
      return bad(place);
    });
    const out = new Uint8Array(parts.reduce((n, [, b]) => n + 5 + b.length, 0));
    let at = 0;
    for (const [kind, bytes] of parts) {
      out[at] = kind;
      new DataView(out.buffer).setUint32(at + 1, bytes.length, true);
      out.set(bytes, at + 5);
      at += 5 + bytes.length;
    }
    return out;
  } finally {
    for (const text of encoded) text.fill(0);
  }
}

/** Options of `issueDeviceToken`. */
export interface DeviceTokenOptions {
  /**
   * The user the device is trusted for, up to 255 characters. Pass it, and pass the same
   * `user` to `verifyDeviceToken`: otherwise a token got on one account skips the second
   * factor on any other account whose password is known.
   */
  user?: string | undefined;
  /** Your id for the device, 1 to 128 bytes: what a revocation list names. */
  deviceId: string;
  /** What the user sees, such as "Firefox on Linux". Signed, not secret. */
  label?: string | undefined;
  /** Lifetime in ms; default 30 days. */
  ttl?: number | undefined;
  now?: number | undefined;
}

/**
 * Issues a signed, URL-safe token that trusts a device. Returns `{ token, deviceId, label,
 * issuedAt, expiresAt }`: give the token to the browser (a cookie) and keep the rest for
 * "your trusted devices". Throws `INVALID_KEY` or `INVALID_OPTIONS`.
 */
export function issueDeviceToken(key: DeviceKey, options: DeviceTokenOptions): IssuedDeviceToken {
  return wasm.guard(() => {
    const k = framed([key], "key");
    try {
      const o = read(options, ["user", "deviceId", "label", "ttl", "now"] as const, "device", true);
      const user = optExact(o.user, "user", 255);
      if (o.deviceId === undefined || o.deviceId === null) bad("deviceId:required");
      const id = exact(o.deviceId, "deviceId", 128);
      const label = optExact(o.label, "label", 256);
      const [a, b, c, d] = wasm.input([k, user, id, label]);
      return answer<IssuedDeviceToken>(glue.issue_device_token(a!, b!, c!, d!, num(o.ttl, "ttl:ms"), num(o.now, "now:time")));
    } finally {
      k.fill(0);
    }
  });
}

/** Options of `verifyDeviceToken`. */
export interface DeviceVerifyOptions {
  /** Unix ms; default `Date.now()`. */
  now?: number | undefined;
  /** The user signing in: the token must have been issued to this user (or to none, when absent). */
  user?: string | undefined;
  /** Device ids the user removed. */
  revoked?: readonly string[] | undefined;
}

/**
 * Checks a device token against `keys` (one key, or the current key first and then
 * retired ones), its expiry at `now`, the user and the `revoked` device ids. Returns
 * `{ ok: true, deviceId, label, issuedAt, expiresAt, keyIndex }` or `{ ok: false, reason }`.
 * Throws `INVALID_KEY` for a key that is not 16 to 1,024 bytes.
 */
export function verifyDeviceToken(keys: DeviceKey | readonly DeviceKey[], token: string, options?: DeviceVerifyOptions): DeviceCheck {
  return wasm.guard(() => {
    const list = typeof keys === "string" || isBytes(keys) ? [keys] : items(keys, "keys", 64);
    const k = framed(list, "key");
    try {
      const o = read(options, ["now", "user", "revoked"] as const, "verify");
      const user = optExact(o.user, "user", 255);
      const revoked =
        o.revoked === undefined || o.revoked === null
          ? undefined
          : JSON.stringify(items(o.revoked, "revoked:strings", 100_000).map((id) => exact(id, "revoked:strings", 128)));
      const text = typeof token === "string" && token.length <= 2048 ? token : "";
      const [a, b, c, d] = wasm.input([k, text, user, revoked]);
      return answer<DeviceCheck>(glue.verify_device_token(a!, b!, c!, d!, num(o.now, "now:time")));
    } finally {
      k.fill(0);
    }
  });
}

// ---------------------------------------------------------------------------------------
// Action links

/** Options of `issueActionLink`. */
export interface ActionLinkOptions {
  /** What the link does, 1 to 64 bytes of printable ASCII, such as `"reset-totp"`. */
  purpose: string;
  /** The user it acts for, 1 to 255 bytes. */
  user: string;
  /**
   * A fingerprint of what the link acts on, up to 4,096 bytes: the revision of the user's
   * 2FA record and the id of its secret, say. The link dies when it changes. Only a keyed
   * hash of it goes into the token.
   */
  state: string;
  /** Lifetime in ms, 1 ms to 7 days; default an hour. */
  ttl?: number | undefined;
  /** Unix ms; default `Date.now()`. */
  now?: number | undefined;
}

/** Options of `verifyActionLink`: what the link must be for, as things are now. */
export interface ActionLinkVerifyOptions {
  /** What this page does: the link's purpose must be this one. */
  purpose: string;
  /** The user the request names: the link must have been issued to this user. */
  user: string;
  /** The fingerprint built now, the same way as at issue. */
  state: string;
  /** Unix ms; default `Date.now()`. */
  now?: number | undefined;
  /** Ids of links the user cancelled. */
  revoked?: readonly string[] | undefined;
}

/** The purpose, user and state of an options object: each a string, all required. */
function linkTexts(o: Record<"purpose" | "user" | "state", unknown>): [string, string, string] {
  for (const name of ["purpose", "user", "state"] as const) if (o[name] === undefined || o[name] === null) bad(`${name}:required`);
  return [exact(o.purpose, "purpose", 64), exact(o.user, "user", 255), exact(o.state, "state", 4096)];
}

/**
 * Issues an action link's token: signed, URL-safe (`payload.tag`, about 150 characters),
 * valid for `ttl` ms (default an hour), made for one purpose and one user, and bound to
 * `state`, so that it works once and dies when what it acts on changes. Returns `{ token,
 * linkId, purpose, user, issuedAt, expiresAt }`. Throws `INVALID_KEY`, `INVALID_OPTIONS`
 * or `ENTROPY_UNAVAILABLE`.
 *
 * ```js
 * // "Reset QR by mail", after the password: mail a link to the address on the account.
 * const state = `2fa:rev=${user.twofa.revision}:secret=${user.twofa.secretId}`;
 * const { token } = issueActionLink(linkKey, { purpose: "reset-totp", user: user.id, state });
 * await sendMail(user.email, `https://example.com/reset-qr?user=${user.id}&link=${token}`);
 * ```
 */
export function issueActionLink(key: DeviceKey, options: ActionLinkOptions): IssuedActionLink {
  return wasm.guard(() => {
    const k = framed([key], "key");
    try {
      const o = read(options, ["purpose", "user", "state", "ttl", "now"] as const, "options", true);
      const [purpose, user, state] = linkTexts(o);
      const [a, b, c, d] = wasm.input([k, purpose, user, state]);
      return answer<IssuedActionLink>(glue.issue_action_link(a!, b!, c!, d!, num(o.ttl, "ttl:ms"), num(o.now, "now:time")));
    } finally {
      k.fill(0);
    }
  });
}

/**
 * Checks an action link's token against `keys` (one key, or the current key first and then
 * retired ones), then, in this order, its expiry at `now`, its purpose, its user, the
 * `revoked` link ids and its state. Returns `{ ok: true, linkId, purpose, user, issuedAt,
 * expiresAt, keyIndex }` or `{ ok: false, reason }`, the reason one of `MALFORMED`,
 * `BAD_SIGNATURE`, `EXPIRED`, `WRONG_PURPOSE`, `WRONG_USER`, `REVOKED` or `STATE_CHANGED`
 * (used, or superseded). A refused token is an answer; bad options throw
 * `INVALID_OPTIONS`, and a key that is not 16 to 1,024 bytes `INVALID_KEY`.
 *
 * ```js
 * // The link is opened: check it against the record as it is now.
 * const state = `2fa:rev=${user.twofa.revision}:secret=${user.twofa.secretId}`;
 * const check = verifyActionLink([linkKey, oldLinkKey], token, { purpose: "reset-totp", user: user.id, state });
 * if (!check.ok) return page(check.reason === "STATE_CHANGED" ? "This link was used already." : "This link does not work.");
 * // Show a new QR code; when the new app's code confirms it, the revision moves on and the link is dead.
 * ```
 */
export function verifyActionLink(
  keys: DeviceKey | readonly DeviceKey[],
  token: string,
  options: ActionLinkVerifyOptions,
): ActionLinkCheck {
  return wasm.guard(() => {
    const list = typeof keys === "string" || isBytes(keys) ? [keys] : items(keys, "keys", 64);
    const k = framed(list, "key");
    try {
      const o = read(options, ["purpose", "user", "state", "now", "revoked"] as const, "options", true);
      const [purpose, user, state] = linkTexts(o);
      const revoked =
        o.revoked === undefined || o.revoked === null
          ? undefined
          : JSON.stringify(
              items(o.revoked, "revoked:strings", 100_000).map((id) =>
                typeof id === "string" && id.isWellFormed() ? id : bad("revoked:strings"),
              ),
            );
      const text = typeof token === "string" && token.length <= 1024 ? token : "";
      const [a, b, c, d, e, f] = wasm.input([k, text, purpose, user, state, revoked]);
      return answer<ActionLinkCheck>(glue.verify_action_link(a!, b!, c!, d!, e!, f!, num(o.now, "now:time")));
    } finally {
      k.fill(0);
    }
  });
}

// ---------------------------------------------------------------------------------------
// Throttling

/** Free attempts, then a lock-out that doubles from `baseDelay` up to `maxDelay` (ms). */
export interface ThrottlePolicy {
  /** Default 5. */
  freeAttempts?: number | undefined;
  /** Default 1000. */
  baseDelay?: number | undefined;
  /** Default 900000 (15 minutes). */
  maxDelay?: number | undefined;
}

function stateText(state: unknown): string | undefined {
  return state === undefined || state === null ? undefined : json(state, "record");
}

/**
 * Whether an attempt is allowed at `now` (default `Date.now()`): `{ allowed, retryAt,
 * wait }`, `wait` being the milliseconds until `retryAt`. `state` may be `undefined` for an
 * account with no failures. Throws `INVALID_RECORD` for a malformed state.
 */
export function throttleCheck(state?: ThrottleState, now?: number): ThrottleDecision {
  return wasm.guard(() => {
    const [s] = wasm.input([stateText(state)]);
    return answer<ThrottleDecision>(glue.throttle_check(s!, num(now, "now:time")));
  });
}

/**
 * The state after a failed attempt at `now` under `policy` (default: 5 free attempts,
 * then 1 s doubling up to 15 minutes).
 */
export function throttleFailure(state?: ThrottleState, policy?: ThrottlePolicy, now?: number): ThrottleState {
  return wasm.guard(() => {
    const [s] = wasm.input([stateText(state)]);
    const p = read(policy, ["freeAttempts", "baseDelay", "maxDelay"] as const, "throttle");
    return answer<ThrottleState>(
      glue.throttle_failure(s!, num(p.freeAttempts, "freeAttempts:number"), num(p.baseDelay, "baseDelay:ms"), num(p.maxDelay, "maxDelay:ms"), num(now, "now:time")),
    );
  });
}

/** The state after a successful attempt: a clean slate, one revision after `state`. */
export function throttleSuccess(state?: ThrottleState): ThrottleState {
  return wasm.guard(() => {
    const [s] = wasm.input([stateText(state)]);
    return answer<ThrottleState>(glue.throttle_success(s!));
  });
}
