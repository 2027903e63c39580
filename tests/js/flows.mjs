// The flows around codes, checked in every runtime through the built package: backup,
// recovery and verification codes, security answers, trusted-device tokens, throttling
// and HOTP resync.
// Records go through JSON.stringify/parse between calls, as a site stores them.

const NOW = 1_700_000_000_000;
const store = (record) => JSON.parse(JSON.stringify(record));
/** An action link's options: ada's "reset the QR code by mail", bound to her 2FA record. */
const LINK = { purpose: "reset-totp", user: "ada", state: "2fa:rev=41:secret=s-7" };

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
  [(t) => t.issueActionLink(new Uint8Array(8), LINK), "INVALID_KEY", "key is 8 bytes long; use 16 to 1024 random bytes"],
  [(t) => t.issueActionLink(new Uint8Array(32), { user: "ada", state: "" }), "INVALID_OPTIONS", "purpose is required"],
  [(t) => t.issueActionLink(new Uint8Array(32), { purpose: "reset-totp", state: "" }), "INVALID_OPTIONS", "user is required"],
  [(t) => t.issueActionLink(new Uint8Array(32), { purpose: "reset-totp", user: "ada" }), "INVALID_OPTIONS", "state is required"],
  [(t) => t.issueActionLink(new Uint8Array(32)), "INVALID_OPTIONS", "options is required"],
  [(t) => t.issueActionLink(new Uint8Array(32), { ...LINK, purpose: "" }), "INVALID_OPTIONS", "purpose must be 1 to 64 bytes of printable ASCII"],
  [(t) => t.issueActionLink(new Uint8Array(32), { ...LINK, purpose: "p".repeat(65) }), "INVALID_OPTIONS", "purpose must be 1 to 64 bytes of printable ASCII"],
  [(t) => t.issueActionLink(new Uint8Array(32), { ...LINK, purpose: "réinitialiser" }), "INVALID_OPTIONS", "purpose must be 1 to 64 bytes of printable ASCII"],
  [(t) => t.issueActionLink(new Uint8Array(32), { ...LINK, purpose: 7 }), "INVALID_OPTIONS", "purpose must be a string of at most 64 characters, without lone surrogates"],
  [(t) => t.issueActionLink(new Uint8Array(32), { ...LINK, user: "é".repeat(128) }), "INVALID_OPTIONS", "user must be 1 to 255 bytes of text"],
  [(t) => t.issueActionLink(new Uint8Array(32), { ...LINK, state: "s".repeat(4097) }), "INVALID_OPTIONS", "state must be at most 4096 bytes of text"],
  [(t) => t.issueActionLink(new Uint8Array(32), { ...LINK, state: "x\uDC00" }), "INVALID_OPTIONS", "state must be a string of at most 4096 characters, without lone surrogates"],
  [(t) => t.issueActionLink(new Uint8Array(32), { ...LINK, ttl: 0 }), "INVALID_OPTIONS", "ttl must be a whole number of milliseconds from 1 to 7 days"],
  [(t) => t.issueActionLink(new Uint8Array(32), { ...LINK, ttl: 7 * 86_400_000 + 1 }), "INVALID_OPTIONS", "ttl must be a whole number of milliseconds from 1 to 7 days"],
  [(t) => t.issueActionLink(new Uint8Array(32), { ...LINK, ttl: 1.5 }), "INVALID_OPTIONS", "ttl must be a whole number of milliseconds"],
  [(t) => t.verifyActionLink(new Uint8Array(32), "x", { purpose: "reset-totp", user: "ada" }), "INVALID_OPTIONS", "state is required"],
  [(t) => t.verifyActionLink(new Uint8Array(32), "x", { ...LINK, purpose: "reset totp\n" }), "INVALID_OPTIONS", "purpose must be 1 to 64 bytes of printable ASCII"],
  [(t) => t.verifyActionLink(new Uint8Array(32), "x", { ...LINK, user: "" }), "INVALID_OPTIONS", "user must be 1 to 255 bytes of text"],
  [(t) => t.verifyActionLink(new Uint8Array(32), "x"), "INVALID_OPTIONS", "options is required"],
  [(t) => t.verifyActionLink([], "x", LINK), "INVALID_KEY", "keys must be a key or an array of at most 64 keys"],
  [(t) => t.verifyActionLink([new Uint8Array(32), "AA!A"], "x", LINK), "INVALID_KEY", "key text is not base32: invalid base32 character at position 3"],
  [(t) => t.verifyActionLink(new Uint8Array(32), "x", { ...LINK, revoked: [1] }), "INVALID_OPTIONS", "revoked must be an array of strings"],
  [(t) => t.verifyActionLink(new Uint8Array(32), "x", { ...LINK, revoked: ["x".repeat(65)] }), "INVALID_OPTIONS", "revoked must be an array of link ids"],
  [(t) => t.verifyActionLink(new Uint8Array(32), "x", { ...LINK, now: "soon" }), "INVALID_OPTIONS", "now must be a number of milliseconds"],
  [(t) => t.throttleCheck({ failures: -1, lockedUntil: 0 }, NOW), "INVALID_RECORD", "record field failures is malformed"],
  // Revisions: safe integers only, and the last one is never passed.
  [(t) => t.throttleSuccess({ failures: 0, lockedUntil: 0, revision: 1.5 }), "INVALID_RECORD", "record field revision is malformed"],
  [(t) => t.throttleFailure({ failures: 0, lockedUntil: 0, revision: 2 ** 53 }), "INVALID_RECORD", "record field revision is malformed"],
  [(t) => t.throttleFailure({ failures: 0, lockedUntil: 0, revision: 2 ** 53 - 1 }), "INVALID_RECORD", "record revision is 9007199254740991, the most a record can have"],
  [(t) => t.verifyBackupCode({ ...t.generateBackupCodes({ count: 1 }).record, revision: -1 }, "ABCD-EFGH-JKMN"), "INVALID_RECORD", "record field revision is malformed"],
  [(t) => t.generateBackupCodes({ count: 1, replaces: { ...t.generateBackupCodes({ count: 1 }).record, revision: 2 ** 53 - 1 } }), "INVALID_RECORD", "record revision is 9007199254740991, the most a record can have"],
  [(t) => t.issueVerificationCode({ replaces: "record" }), "INVALID_OPTIONS", "replaces must be an object"],
  [(t) => t.issueRecoveryCode({ user: "ada", replaces: { revision: "2" } }), "INVALID_RECORD", "record field revision is malformed"],
  [(t) => t.issueVerificationCode({ replaces: { revision: 2 ** 53 } }), "INVALID_RECORD", "record field revision is malformed"],
  // Backup codes shown again: keys and records.
  [(t) => t.generateBackupCodes({ count: 1, key: new Uint8Array(15) }), "INVALID_KEY", "key is 15 bytes long; use 16 to 1024 random bytes"],
  [(t) => t.generateBackupCodes({ count: 1, key: 42 }), "INVALID_KEY", "key must be a Uint8Array of 16 to 1024 bytes, or base32 text of one"],
  [(t) => t.revealBackupCodes(new Uint8Array(8), t.generateBackupCodes({ count: 1, key: new Uint8Array(32) }).record), "INVALID_KEY", "key is 8 bytes long; use 16 to 1024 random bytes"],
  [(t) => t.revealBackupCodes([], t.generateBackupCodes({ count: 1, key: new Uint8Array(32) }).record), "INVALID_KEY", "keys must be a key or an array of at most 64 keys"],
  [(t) => t.revealBackupCodes(new Uint8Array(32), t.generateBackupCodes({ count: 1 }).record), "INVALID_RECORD", "record has no sealed codes: only a set made with a key can be shown again"],
  [(t) => t.revealBackupCodes(new Uint8Array(32).fill(1), t.generateBackupCodes({ count: 1, key: new Uint8Array(32) }).record), "INVALID_RECORD", "record has a sealed code that none of the keys opens: a wrong key, or a changed record"],
  [(t) => { const r = t.generateBackupCodes({ count: 2, key: new Uint8Array(32) }).record; return t.revealBackupCodes(new Uint8Array(32), { ...r, sealed: r.sealed.slice(1) }); }, "INVALID_RECORD", "record field sealed must have one entry for each hash"],
  [(t) => { const r = t.generateBackupCodes({ count: 2, key: new Uint8Array(32) }).record; return t.revealBackupCodes(new Uint8Array(32), { ...r, sealed: [r.sealed[0], null] }); }, "INVALID_RECORD", "record field sealed must be null exactly where hashes is"],
  [(t) => { const r = t.generateBackupCodes({ count: 2, key: new Uint8Array(32) }).record; return t.revealBackupCodes(new Uint8Array(32), { ...r, sealed: [r.sealed[1], r.sealed[0]] }); }, "INVALID_RECORD", "record has a sealed code that none of the keys opens: a wrong key, or a changed record"],
  [(t) => { const r = t.generateBackupCodes({ count: 2, key: new Uint8Array(32) }).record; return t.verifyBackupCode({ ...r, sealed: [r.sealed[0], "AAAA"] }, "ABCD-EFGH-JKMN"); }, "INVALID_RECORD", "record field sealed is malformed"],
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
  expect("backup no key, no sealed", "sealed" in set.record || "sealed" in next.record, false);

  // Revisions: 1 for a new record, one more for each record returned in its place.
  expect("backup revisions", `${set.record.revision} ${record.revision}`, "1 11");
  expect("backup replaces", t.generateBackupCodes({ count: 1, replaces: record }).record.revision, 12);
  const { revision: _, ...older } = store(next.record);
  expect("backup record older than revisions", t.verifyBackupCode(older, next.codes[0]).record.revision, 1);

  // Records under concurrency: two requests read the same record and verify the same code.
  // Written blindly, both sign in; with a compare-and-swap on the revision, the second
  // write fails, and its retry from a fresh read finds the code spent.
  const race = t.generateBackupCodes({ count: 2, now: NOW });
  let row = store(race.record);
  const swap = (old, written) => {
    if (row.revision !== old) return false;
    row = store(written);
    return true;
  };
  const [readA, readB] = [store(row), store(row)];
  const a = t.verifyBackupCode(readA, race.codes[1]);
  const b = t.verifyBackupCode(readB, race.codes[1]);
  expect("race: both match from one read", `${a.matched} ${b.matched}`, "true true");
  expect("race: first write", swap(readA.revision, a.record), true);
  expect("race: second write refused", swap(readB.revision, b.record), false);
  const retry = t.verifyBackupCode(store(row), race.codes[1]);
  expect("race: retry from a fresh read", `${retry.matched} ${retry.remaining}`, "false 1");
  expect("race: retry written", swap(row.revision, retry.record), true);

  // Backup codes shown again: sealed under a site key, spent codes never revealed.
  const siteKey = Uint8Array.from({ length: 32 }, (_, i) => i * 5 + 3);
  const sealedSet = t.generateBackupCodes({ count: 4, key: siteKey, now: NOW });
  const sealedJson = JSON.stringify(sealedSet.record);
  expect("sealed record has no code", sealedSet.codes.some((c) => sealedJson.includes(c) || sealedJson.includes(c.replaceAll("-", ""))), false);
  expect("sealed shape", sealedSet.record.sealed.map((e) => e.length).join(), "70,70,70,70");
  expect("revealed", t.revealBackupCodes(siteKey, store(sealedSet.record)).join(), sealedSet.codes.join());
  const spentOne = t.verifyBackupCode(store(sealedSet.record), sealedSet.codes[2]);
  expect("spent sealed dropped", `${spentOne.record.hashes[2]} ${spentOne.record.sealed[2]}`, "null null");
  const unused = [0, 1, 3].map((i) => sealedSet.codes[i]).join();
  expect("revealed unused", t.revealBackupCodes([siteKey], store(spentOne.record)).join(), unused);
  const siteText = t.Secret.fromBytes(siteKey).toBase32();
  expect("revealed with base32 key", t.revealBackupCodes(siteText, spentOne.record).join(), unused);
  const newKey = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
  expect("revealed with a retired key", t.revealBackupCodes([newKey, siteKey], spentOne.record).join(), unused);
  expect("sealed verify still hashes", t.verifyBackupCode(spentOne.record, sealedSet.codes[2]).matched, false);

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
  // The answer with its space: the salt and hash are base64url, which never holds one.
  expect("answers record has no answer", JSON.stringify(first).toLowerCase().includes("zanzibar quokka"), false);
  const { revision: _revision, ...unrevised } = store(first);
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
  expect("recovery revisions", used.records.map((r) => r.revision).join(), "2,1");
  expect("recovery replaces", t.issueRecoveryCode({ user: "ada", replaces: used.records[0] }).record.revision, 3);

  // E-mail and SMS codes: five wrong tries kill it; expiry at the boundary; single use.
  const sent = t.issueVerificationCode({ now: NOW });
  expect("verification shape", /^\d{6}$/.test(sent.code), true);
  // Only as a whole number: the record's times are digits too, and hold six-digit runs.
  expect("verification record has no code", new RegExp(`(?<![0-9])${sent.code}(?![0-9])`).test(JSON.stringify(sent.record)), false);
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
  expect("verification revisions", `${sent.record.revision} ${r.revision} ${ok.record.revision}`, "1 6 2");
  expect("verification replaces", t.issueVerificationCode({ replaces: r }).record.revision, 7);
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

  // Action links: purpose, user, state (single use), revocation, expiry, rotation, and
  // never a device token.
  const link = t.issueActionLink(key, { ...LINK, now: NOW });
  const opened = (extra) => ({ ...LINK, now: NOW, ...extra });
  expect("link url-safe", /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/.test(link.token), true);
  expect("link fields", `${link.purpose} ${link.user} ${link.issuedAt} ${link.expiresAt} ${link.linkId.length}`, `reset-totp ada ${NOW} ${NOW + 3_600_000} 22`);
  // The payload, decoded, holds no part of the state (parts long enough that random bytes
  // do not spell them by chance).
  const linkPayload = atob(link.token.split(".")[0].replaceAll("-", "+").replaceAll("_", "/"));
  expect("link keeps the state out", linkPayload.includes("rev=41") || linkPayload.includes("secret=s-7"), false);
  const valid = t.verifyActionLink(key, link.token, opened());
  expect("link ok", JSON.stringify(valid), JSON.stringify({ ok: true, linkId: link.linkId, purpose: "reset-totp", user: "ada", issuedAt: NOW, expiresAt: NOW + 3_600_000, keyIndex: 0 }));
  expect("link last ms", t.verifyActionLink([key], link.token, opened({ now: link.expiresAt - 1 })).ok, true);
  expect("link expired", t.verifyActionLink([key], link.token, opened({ now: link.expiresAt })).reason, "EXPIRED");
  expect("link other purpose", t.verifyActionLink(key, link.token, opened({ purpose: "change-alternative-email" })).reason, "WRONG_PURPOSE");
  expect("link other user", t.verifyActionLink(key, link.token, opened({ user: "bob" })).reason, "WRONG_USER");
  expect("link cancelled", t.verifyActionLink(key, link.token, opened({ revoked: ["other", link.linkId] })).reason, "REVOKED");
  expect("link used", t.verifyActionLink(key, link.token, opened({ state: "2fa:rev=42:secret=s-8" })).reason, "STATE_CHANGED");
  expect("link wrong key", t.verifyActionLink(oldKey, link.token, opened()).reason, "BAD_SIGNATURE");
  expect("link order", ["EXPIRED", "WRONG_PURPOSE", "WRONG_USER", "REVOKED", "STATE_CHANGED"].map((_, i) =>
    t.verifyActionLink(key, link.token, { purpose: i < 2 ? "x" : LINK.purpose, user: i < 3 ? "bob" : "ada", state: "", revoked: i < 4 ? [link.linkId] : [], now: i < 1 ? link.expiresAt : NOW }).reason).join(), "EXPIRED,WRONG_PURPOSE,WRONG_USER,REVOKED,STATE_CHANGED");
  const week = t.issueActionLink(oldKey, { ...LINK, state: "", ttl: 7 * 86_400_000, now: NOW });
  expect("link rotation", t.verifyActionLink([key, oldKey], week.token, opened({ state: "" })).keyIndex, 1);
  expect("link week", week.expiresAt, NOW + 7 * 86_400_000);
  expect("link default now", Math.abs(t.issueActionLink(key, LINK).issuedAt - Date.now()) < 60_000, true);
  expect("device token is no link", t.verifyActionLink(key, issued.token, opened({ purpose: "x", user: "ada" })).reason, "BAD_SIGNATURE");
  expect("link is no device token", t.verifyDeviceToken(key, link.token, as()).reason, "BAD_SIGNATURE");
  for (const odd of ["", ".", 42, null, link.token + "=", link.token.replaceAll("-", "+").replaceAll("_", "/") + (/[-_]/.test(link.token) ? "" : "="), `${link.token}.x`, "A".repeat(5000)]) {
    expect(`link ${typeof odd === "string" ? odd.length : odd} malformed`, t.verifyActionLink(key, odd, opened()).reason, "MALFORMED");
  }
  const linkReasons = new Set();
  for (let i = 0; i < link.token.length; i++) {
    for (const c of ["A", "z", "0", "_", "-", ".", "="]) {
      if (link.token[i] === c) continue;
      const v = t.verifyActionLink(key, link.token.slice(0, i) + c + link.token.slice(i + 1), opened());
      if (v.ok) expect(`link tampered at ${i}`, "accepted", "rejected");
      linkReasons.add(v.reason);
    }
    if (t.verifyActionLink(key, link.token.slice(0, i), opened()).ok) expect(`link cut to ${i}`, "accepted", "rejected");
  }
  expect("link reasons", [...linkReasons].sort().join(), "BAD_SIGNATURE,MALFORMED");

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
      () => t.verifyActionLink(key, link.token, { ...LINK, revoked: trap }),
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
  expect("throttle success", JSON.stringify(t.throttleSuccess(state)), '{"failures":0,"lockedUntil":0,"revision":7}');
  expect("throttle success from nothing", t.throttleSuccess().revision, 1);
  expect("throttle state older than revisions", t.throttleFailure({ failures: 1, lockedUntil: 0 }, policy, NOW).revision, 1);
  expect("throttle clean slate", t.throttleCheck(undefined, NOW).allowed, true);

  // HOTP resynchronisation (RFC 4226 Appendix D, counters 4 and 5).
  const hotp = new t.Hotp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" });
  expect("resync", hotp.resync("338314", "254676")?.counter, 6);
  expect("resync bigint", hotp.resync("338314", "254676", { counter: 0n })?.counter, 6n);
  expect("resync order", hotp.resync("254676", "338314"), null);
  expect("resync window", hotp.resync("338314", "254676", { window: 2 }), null);
  hotp.free();
}
