// The flows around codes, checked in every runtime through the built package: backup,
// recovery and verification codes, security answers, trusted-device tokens, throttling
// and HOTP resync.
// Records go through JSON.stringify/parse between calls, as a site stores them.

const NOW = 1_700_000_000_000;
const store = (record) => JSON.parse(JSON.stringify(record));

const PET = "What was the name of your first pet?";
const TOWN = "In which town were you born?";

/**
 * A security-answers record that the native tests pin (tests/answers.rs): the answers
 * "  Fluffy  the CAT " and "Ås" under this salt. Every error below is found before any
 * hashing, so its hash need not match anything.
 */
const ANSWERS = {
  version: 1,
  questions: [PET, TOWN],
  memoryKib: 19456,
  passes: 2,
  salt: "QjzESA3X5rbWRK3gGZXyAw",
  hash: "-CRCIZVpIGAHdjJq9wF23oaf_JcFswIW9RmhLdI8HdQ",
  createdAt: NOW,
  revision: 1,
};
const qa = (question, answer) => ({ question, answer });
const lone = "must be a string of at most 256 characters, without lone surrogates";

/** Each bad call, the code it must throw and its exact message. */
export const FLOW_ERRORS = [
  [(t) => t.hashSecurityAnswers([]), "INVALID_OPTIONS", "1 to 10 questions are needed, not 0"],
  [(t) => t.hashSecurityAnswers(Array.from({ length: 11 }, (_, i) => qa(`Q${i}?`, "a"))), "INVALID_OPTIONS", "1 to 10 questions are needed, not 11"],
  [(t) => t.hashSecurityAnswers([qa(PET, "a"), qa(TOWN, "b"), qa(` ${PET}\t`, "c")]), "INVALID_OPTIONS", "question 3 repeats question 1"],
  [(t) => t.hashSecurityAnswers([qa(PET, "a"), qa("", "b")]), "INVALID_OPTIONS", "question 2 must be 1 to 256 characters long"],
  [(t) => t.hashSecurityAnswers([qa(" ", "a")]), "INVALID_OPTIONS", "question 1 is only white space"],
  [(t) => t.hashSecurityAnswers([qa(PET, "Fluffy"), qa(TOWN, " \u00AD\u200B ")]), "INVALID_OPTIONS", "answer 2 is empty after normalising"],
  [(t) => t.hashSecurityAnswers([qa(PET, "")]), "INVALID_OPTIONS", "answer 1 must be 1 to 256 characters long"],
  [(t) => t.hashSecurityAnswers([qa(PET, "Fluffy".padEnd(257, "!"))]), "INVALID_OPTIONS", "answer 1 must be 1 to 256 characters long"],
  [(t) => t.hashSecurityAnswers([qa(PET, "Fluffy\uD800")]), "INVALID_OPTIONS", `answer ${lone}`],
  [(t) => t.hashSecurityAnswers([qa(5, "Fluffy")]), "INVALID_OPTIONS", `question ${lone}`],
  [(t) => t.hashSecurityAnswers([null]), "INVALID_OPTIONS", "entry is required"],
  [(t) => t.hashSecurityAnswers("Fluffy"), "INVALID_OPTIONS", "entries must be an array"],
  [(t) => t.hashSecurityAnswers([qa(PET, "Fluffy")], { replaces: { version: 1 } }), "INVALID_RECORD", "record field questions is malformed"],
  [(t) => t.hashSecurityAnswers([qa(PET, "Fluffy")], { now: "now" }), "INVALID_OPTIONS", "now must be a number of milliseconds"],
  [(t) => t.verifySecurityAnswers(ANSWERS, ["Fluffy"]), "INVALID_OPTIONS", "2 answers are needed, not 1"],
  [(t) => t.verifySecurityAnswers(ANSWERS, ["Fluffy", "\t"]), "INVALID_OPTIONS", "answer 2 is empty after normalising"],
  [(t) => t.verifySecurityAnswers(ANSWERS, "Fluffy"), "INVALID_OPTIONS", "answers must be an array of strings"],
  [(t) => t.verifySecurityAnswers(ANSWERS, ["Fluffy", 5]), "INVALID_OPTIONS", `answer ${lone}`],
  [(t) => t.verifySecurityAnswers({ ...ANSWERS, memoryKib: 65537 }, ["a", "b"]), "INVALID_RECORD", "record field memoryKib is malformed"],
  [(t) => t.verifySecurityAnswers({ ...ANSWERS, memoryKib: 8191 }, ["a", "b"]), "INVALID_RECORD", "record field memoryKib is malformed"],
  [(t) => t.verifySecurityAnswers({ ...ANSWERS, passes: 11 }, ["a", "b"]), "INVALID_RECORD", "record field passes is malformed"],
  [(t) => t.verifySecurityAnswers({ ...ANSWERS, passes: 0 }, ["a", "b"]), "INVALID_RECORD", "record field passes is malformed"],
  [(t) => t.verifySecurityAnswers({ ...ANSWERS, salt: "QjzESA3X" }, ["a", "b"]), "INVALID_RECORD", "record field salt is malformed"],
  [(t) => t.verifySecurityAnswers({ ...ANSWERS, hash: "" }, ["a", "b"]), "INVALID_RECORD", "record field hash is malformed"],
  [(t) => t.verifySecurityAnswers({ ...ANSWERS, questions: [PET, PET] }, ["a", "b"]), "INVALID_RECORD", "record field questions is malformed"],
  [(t) => t.verifySecurityAnswers({ ...ANSWERS, revision: -1 }, ["a", "b"]), "INVALID_RECORD", "record field revision is malformed"],
  [(t) => t.verifySecurityAnswers({ ...ANSWERS, version: 2 }, ["a", "b"]), "INVALID_RECORD", "record field version is malformed"],
  [(t) => t.verifySecurityAnswers("record", ["a", "b"]), "INVALID_RECORD", "record must be an object"],
  [(t) => t.normalizeSecurityAnswer("x".repeat(257)), "INVALID_OPTIONS", "answer is 257 characters long; the most is 256"],
  [(t) => t.normalizeSecurityAnswer(5), "INVALID_OPTIONS", `answer ${lone}`],
  [(t) => t.generateBackupCodes({ count: 0 }), "INVALID_OPTIONS", "count must be a whole number from 1 to 100"],
  [(t) => t.verifyBackupCode(t.generateBackupCodes({ count: 1 }).record, "ABCD-EFGH"), "INVALID_TOKEN", "token must have 12 characters, not 8"],
  [(t) => t.verifyBackupCode(t.generateBackupCodes({ count: 1 }).record, "ABCD-EFGH-JKMU"), "INVALID_TOKEN", "code has a character that codes never use at position 14"],
  [(t) => t.verifyBackupCode({ ...t.generateBackupCodes({ count: 1 }).record, salt: 5 }, "ABCD-EFGH-JKMN"), "INVALID_RECORD", "record field salt is malformed"],
  [(t) => t.verifyBackupCode({ ...t.generateBackupCodes({ count: 1 }).record, version: 2 }, "ABCD-EFGH-JKMN"), "INVALID_RECORD", "record field version is malformed"],
  [(t) => t.verifyBackupCode("record", "ABCD-EFGH-JKMN"), "INVALID_RECORD", "record must be an object"],
  [(t) => t.issueRecoveryCode({ user: "" }), "INVALID_OPTIONS", "user must not be empty"],
  [(t) => t.verifyRecoveryCode([], { code: "0000-0000-0000-0000" }), "INVALID_OPTIONS", "user is required"],
  [(t) => t.backupCodesText(["A"], {}), "INVALID_OPTIONS", "account is required"],
  [(t) => t.issueDeviceToken(new Uint8Array(8), { deviceId: "d" }), "INVALID_KEY", "key is 8 bytes long; use 16 to 1024 random bytes"],
  [(t) => t.issueDeviceToken("AAAAAAAAAAAAAAAA", { deviceId: "d" }), "INVALID_KEY", "key is 10 bytes long; use 16 to 1024 random bytes"],
  [(t) => t.issueDeviceToken("AA!A", { deviceId: "d" }), "INVALID_KEY", "key text is not base32: invalid base32 character at position 3"],
  [(t) => t.issueDeviceToken("", { deviceId: "d" }), "INVALID_KEY", "key is 0 bytes long; use 16 to 1024 random bytes"],
  [(t) => t.verifyRecoveryCode([{ user: "a" }], { user: "a", code: "0000-0000-0000-0000" }), "INVALID_RECORD", "record field salt is malformed"],
  [(t) => t.issueVerificationCode({ digits: 4 }), "INVALID_DIGITS", "digits must be from 6 to 10, not 4"],
  [(t) => t.issueVerificationCode({ maxAttempts: 0 }), "INVALID_OPTIONS", "maxAttempts must be a whole number from 1 to 100"],
  [(t) => t.verifyVerificationCode(t.issueVerificationCode().record, "12 34"), "INVALID_TOKEN", "token must have 6 characters, not 4"],
  [(t) => t.issueDeviceToken(new Uint8Array(15), { deviceId: "d" }), "INVALID_KEY", "key is 15 bytes long; use 16 to 1024 random bytes"],
  [(t) => t.issueDeviceToken(42, { deviceId: "d" }), "INVALID_KEY", "key must be a Uint8Array of 16 to 1024 bytes, or base32 text of one"],
  [(t) => t.issueDeviceToken(t.Secret.generate(32), { deviceId: "d" }), "INVALID_KEY", "key must be a Uint8Array of 16 to 1024 bytes, or base32 text of one"],
  [(t) => t.issueDeviceToken(new Uint8Array(32), { deviceId: "" }), "INVALID_OPTIONS", "deviceId must be 1 to 128 bytes of text"],
  [(t) => t.issueDeviceToken(new Uint8Array(32), { deviceId: "d", user: "" }), "INVALID_OPTIONS", "user must be 1 to 255 bytes of text"],
  [(t) => t.throttleCheck({ failures: -1, lockedUntil: 0 }, NOW), "INVALID_RECORD", "record field failures is malformed"],
  [(t) => new t.Hotp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" }).resync("338314", "254676", { window: 100_001 }), "INVALID_WINDOW", "look-ahead of 100001 counters is too large; the most is 100000"],
];

export function checkFlows(t, expect) {
  // Backup codes: single use, remaining, regeneration, no code in the record.
  const set = t.generateBackupCodes({ now: NOW });
  expect("backup count", set.codes.length, 10);
  expect("backup shape", set.codes.every((c) => /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(c)), true);
  expect("backup distinct", new Set(set.codes).size, 10);
  const json = JSON.stringify(set.record);
  expect("backup record has no code", set.codes.some((c) => json.includes(c) || json.includes(c.replaceAll("-", ""))), false);
  let record = store(set.record);
  for (const [i, code] of set.codes.entries()) {
    const check = t.verifyBackupCode(record, code.toLowerCase().replaceAll("-", " "));
    expect(`backup ${i} matched`, check.matched, true);
    expect(`backup ${i} remaining`, check.remaining, 9 - i);
    expect(`backup ${i} again`, t.verifyBackupCode(check.record, code).matched, false);
    record = store(check.record);
  }
  const next = t.generateBackupCodes({ count: 3 });
  expect("regenerated old code", t.verifyBackupCode(next.record, set.codes[0]).matched, false);
  expect("regenerated count", next.codes.length, 3);
  const text = t.backupCodesText(next.codes, { issuer: "ACME", account: "ada@example.com", date: NOW });
  expect("backup text head", text.split("\n").slice(0, 5).join("|"), `ACME backup codes|Account: ada@example.com|Created: 2023-11-14||  1. ${next.codes[0]}`.replace("  1.", " 1."));

  // Security answers: normalised, all required, in order, bound to a salt per record;
  // revisions count up; no answer in the record. Each hash is 19 MiB of Argon2id, so few.
  for (const [typed, normal] of [
    ["  Fluffy  the   CAT ", "fluffy the cat"],
    ["Ｆｌｕｆｆｙ", "fluffy"],
    ["STRASSE", "strasse"],
    ["Straße", "strasse"],
    ["ﬁsh", "fish"],
    ["\u00C5", "\u00E5"],
    ["A\u030A", "\u00E5"],
    ["ΟΔΥΣΣΕΥΣ", "οδυσσευσ"],
    ["Οδυσσευς", "οδυσσευσ"],
    ["new\tyork\u00A0city\n", "new york city"],
    ["rose\u00ADbud", "rosebud"],
    ["", ""],
  ]) {
    expect(`normalize ${JSON.stringify(typed)}`, t.normalizeSecurityAnswer(typed), normal);
  }
  expect("answers pinned vector", t.verifySecurityAnswers(ANSWERS, ["FLUFFY THE cat", "ÅS"]).matched, true);
  const secret = "Zanzibar Quokka";
  const first = t.hashSecurityAnswers([qa(PET, secret), qa(TOWN, "Ås")], { now: NOW });
  expect("answers record", JSON.stringify({ ...first, salt: 0, hash: 0 }), JSON.stringify({ ...ANSWERS, salt: 0, hash: 0 }));
  expect("answers salt and hash", `${first.salt.length} ${first.hash.length} ${first.salt === ANSWERS.salt}`, "22 43 false");
  const firstJson = JSON.stringify(first).toLowerCase();
  expect("answers record has no answer", firstJson.includes("zanzibar") || firstJson.includes("quokka"), false);
  const { revision: _, ...unrevised } = store(first);
  expect("answers match, without a revision", t.verifySecurityAnswers(unrevised, ["  zanzibar\tQUOKKA", "\u00E5s"]).matched, true);
  expect("answers one wrong", t.verifySecurityAnswers(store(first), [secret, "Oslo"]).matched, false);
  expect("answers in the wrong order", t.verifySecurityAnswers(store(first), ["Ås", secret]).matched, false);
  const second = t.hashSecurityAnswers([qa(PET, secret), qa(TOWN, "Ås")], { replaces: store(first) });
  expect("answers revision", second.revision, 2);
  expect("answers new salt", second.salt !== first.salt && second.hash !== first.hash, true);
  expect("answers tampered question", t.verifySecurityAnswers({ ...store(second), questions: [TOWN, PET] }, ["Ås", secret]).matched, false);

  // Recovery codes: for one user, single use, dead at the exact expiry.
  const ada = t.issueRecoveryCode({ user: "ada", now: NOW });
  const bob = t.issueRecoveryCode({ user: "bob", ttl: 60_000, now: NOW });
  expect("recovery shape", /^([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}$/.test(ada.code), true);
  expect("recovery ttl", ada.record.expiresAt, NOW + 3_600_000);
  const records = store([ada.record, bob.record]);
  expect("recovery record has no code", JSON.stringify(records).includes(ada.code), false);
  expect("recovery expired at boundary", t.verifyRecoveryCode(records, { user: "ada", code: ada.code, now: NOW + 3_600_000 }).status, "EXPIRED");
  const used = t.verifyRecoveryCode(records, { user: "ada", code: ada.code, now: NOW + 3_599_999 });
  expect("recovery ok", used.status, "OK");
  expect("recovery usedAt", used.records[0].usedAt, NOW + 3_599_999);
  expect("recovery used", t.verifyRecoveryCode(store(used.records), { user: "ada", code: ada.code, now: NOW }).status, "USED");
  expect("recovery other user", t.verifyRecoveryCode(records, { user: "bob", code: ada.code, now: NOW }).status, "UNKNOWN");

  // E-mail and SMS codes: five wrong tries kill it; expiry at the boundary; single use.
  const sent = t.issueVerificationCode({ now: NOW });
  expect("verification shape", /^\d{6}$/.test(sent.code), true);
  expect("verification record has no code", JSON.stringify(sent.record).includes(sent.code), false);
  const wrong = sent.code === "000000" ? "111111" : "000000";
  let r = store(sent.record);
  for (let left = 4; left >= 0; left--) {
    const v = t.verifyVerificationCode(r, wrong, { now: NOW });
    expect(`verification wrong ${left}`, `${v.outcome} ${v.attemptsLeft}`, `WRONG ${left}`);
    r = store(v.record);
  }
  expect("verification locked", t.verifyVerificationCode(r, sent.code, { now: NOW }).outcome, "LOCKED");
  expect("verification expired", t.verifyVerificationCode(sent.record, sent.code, { now: NOW + 600_000 }).outcome, "EXPIRED");
  const ok = t.verifyVerificationCode(sent.record, sent.code, { now: NOW + 599_999 });
  expect("verification ok", ok.outcome, "OK");
  expect("verification used", t.verifyVerificationCode(ok.record, sent.code, { now: NOW }).outcome, "USED");
  const eight = t.issueVerificationCode({ digits: 8, ttl: 60_000, maxAttempts: 2, now: NOW });
  expect("verification options", `${eight.code.length} ${eight.record.attemptsLeft} ${eight.record.expiresAt}`, `8 2 ${NOW + 60_000}`);

  // Trusted devices: tokens, tampering, wrong key, rotation, revocation, expiry.
  const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
  // A retired key given as base32 text: the same bytes as in a Uint8Array.
  const oldKey = t.Secret.fromBytes(Uint8Array.from({ length: 32 }, (_, i) => 255 - i)).toBase32();
  const issued = t.issueDeviceToken(key, { user: "ada", deviceId: "dev-7", label: "Firefox on Linux", ttl: 14 * 86_400_000, now: NOW });
  const as = (extra) => ({ now: NOW, user: "ada", ...extra });
  expect("device url-safe", /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(issued.token), true);
  expect("device expires", issued.expiresAt, NOW + 14 * 86_400_000);
  const good = t.verifyDeviceToken(key, issued.token, as());
  expect("device ok", `${good.ok} ${good.deviceId} ${good.label} ${good.issuedAt} ${good.expiresAt} ${good.keyIndex} ${good.user}`, `true dev-7 Firefox on Linux ${NOW} ${NOW + 14 * 86_400_000} 0 ada`);
  expect("device expired", t.verifyDeviceToken([key], issued.token, as({ now: issued.expiresAt })).reason, "EXPIRED");
  expect("device last ms", t.verifyDeviceToken([key], issued.token, as({ now: issued.expiresAt - 1 })).ok, true);
  expect("device revoked", t.verifyDeviceToken([key], issued.token, as({ revoked: ["dev-7"] })).reason, "REVOKED");
  expect("device other user", t.verifyDeviceToken([key], issued.token, as({ user: "bob" })).reason, "WRONG_USER");
  expect("device no user", t.verifyDeviceToken([key], issued.token, { now: NOW }).reason, "WRONG_USER");
  expect("device wrong key", t.verifyDeviceToken([oldKey], issued.token, as()).reason, "BAD_SIGNATURE");
  const old = t.issueDeviceToken(oldKey, { user: "ada", deviceId: "dev-8", now: NOW });
  expect("device rotation", t.verifyDeviceToken([key, oldKey], old.token, as()).keyIndex, 1);
  expect("device default ttl", old.expiresAt, NOW + 30 * 86_400_000);
  const reasons = new Set();
  for (let i = 0; i < issued.token.length; i++) {
    for (const c of ["A", "z", "0", "_", "-", ".", "="]) {
      if (issued.token[i] === c) continue;
      const tampered = issued.token.slice(0, i) + c + issued.token.slice(i + 1);
      const v = t.verifyDeviceToken([key], tampered, as());
      if (v.ok) expect(`device tampered at ${i}`, "accepted", "rejected");
      reasons.add(v.reason);
    }
    const cut = t.verifyDeviceToken([key], issued.token.slice(0, i), as());
    if (cut.ok) expect(`device truncated to ${i}`, "accepted", "rejected");
  }
  expect("device reasons", [...reasons].sort().join(), "BAD_SIGNATURE,MALFORMED");
  expect("device key as text or bytes", t.verifyDeviceToken([t.Secret.fromBase32(oldKey).toBytes()], old.token, as()).keyIndex, 0);

  // Hostile input never breaks the module: arrays whose items throw, revoked proxies.
  // Thousands of calls, since an exception unwinding through wasm frames would leave
  // the stack pointer behind and kill the module after a few thousand.
  const trap = ["x"];
  Object.defineProperty(trap, 0, { get() { throw new Error("trap"); } });
  const { proxy, revoke } = Proxy.revocable([], {});
  revoke();
  for (let i = 0; i < 4000; i++) {
    for (const call of [
      () => t.verifyDeviceToken(key, issued.token, { revoked: trap }),
      () => t.verifyDeviceToken(proxy, issued.token),
      () => t.verifyRecoveryCode(trap, { user: "ada", code: ada.code }),
      () => t.verifyBackupCode({ ...set.record, hashes: trap }, set.codes[0]),
      () => t.backupCodesText(proxy, { account: "a" }),
      () => t.buildMigrationUris(trap),
      () => t.hashSecurityAnswers(trap),
      () => t.hashSecurityAnswers([{ get question() { throw new Error("trap"); } }]),
      () => t.verifySecurityAnswers(ANSWERS, trap),
      () => t.verifySecurityAnswers(ANSWERS, proxy),
    ]) {
      try {
        call();
        expect("hostile input accepted", "no error", "an error");
      } catch (err) {
        if (err.name !== "TwofaError") expect("hostile input error", err.name, "TwofaError");
      }
    }
  }
  expect("alive after hostile input", new t.Hotp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" }).generate(1), "287082");
  // Lone surrogates are refused rather than read as U+FFFD.
  let lone;
  try {
    t.issueRecoveryCode({ user: "x\uD800" });
  } catch (err) {
    lone = err.message;
  }
  expect("lone surrogate", lone, "user must be a string of at most 1024 characters, without lone surrogates");

  // Throttling on a fake clock: 2 free, then 1 s, 2 s, 4 s, capped at 4 s.
  const policy = { freeAttempts: 2, baseDelay: 1000, maxDelay: 4000 };
  let state;
  let clock = NOW;
  for (const wait of [0, 0, 1000, 2000, 4000, 4000]) {
    state = store(t.throttleFailure(state, policy, clock));
    const d = t.throttleCheck(state, clock);
    expect(`throttle after ${state.failures}`, `${d.allowed} ${d.wait}`, `${wait === 0} ${wait}`);
    if (wait) expect(`throttle ${state.failures} early`, t.throttleCheck(state, clock + wait - 1).allowed, false);
    clock += wait;
    expect(`throttle ${state.failures} on time`, t.throttleCheck(state, clock).allowed, true);
  }
  expect("throttle success", JSON.stringify(t.throttleSuccess(state)), '{"failures":0,"lockedUntil":0}');
  expect("throttle clean slate", t.throttleCheck(undefined, NOW).allowed, true);

  // HOTP resynchronisation (RFC 4226 Appendix D, counters 4 and 5).
  const hotp = new t.Hotp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" });
  expect("resync", hotp.resync("338314", "254676")?.counter, 6);
  expect("resync bigint", hotp.resync("338314", "254676", { counter: 0n })?.counter, 6n);
  expect("resync order", hotp.resync("254676", "338314"), null);
  expect("resync window", hotp.resync("338314", "254676", { window: 2 }), null);
  hotp.free();
}
