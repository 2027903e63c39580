// Compile-time tests of the package's declarations (`tsc -p tests/js`), entry by entry as
// tsconfig.json maps them to pkg/<entry>.d.ts. Each line after an expect-error directive
// must fail to type-check, and everything else must pass.
import wasmUrl from "twofa/twofa_bg.wasm";
import qrWasmUrl from "twofa/qr_bg.wasm";
import migrationWasmUrl from "twofa/migration_bg.wasm";
import flowsWasmUrl from "twofa/flows_bg.wasm";
import vaultWasmUrl from "twofa/vault_bg.wasm";
import importWasmUrl from "twofa/import_bg.wasm";
import init, {
  Hotp, Secret, Totp, buildUri, parseUri, initSync,
  type Account, type ErrorCode, type HotpMatch, type Instance, type ParsedUri, type TotpMatch,
  type TwofaError, type WarningCode, checkToken, type TokenShape,
  estimateClockOffset, clockIsOff, type ClockOffset, type ClockSample,
} from "twofa";
import initQr, { MAX_QR_URI_LEN, decodeQr, qrMatrix, qrSvg, initSync as initQrSync, type Ecc, type QrMatrix } from "twofa/qr";
import initMigration, {
  buildMigrationUris, parseMigrationUri, type MigrationAccount, type MigrationBatch, type MigrationExport,
  type WarningCode as MigrationWarningCode,
} from "twofa/migration";
import initFlows, {
  generateBackupCodes, verifyBackupCode, revealBackupCodes, backupCodesText, issueRecoveryCode, verifyRecoveryCode,
  issueVerificationCode, verifyVerificationCode, issueDeviceToken, verifyDeviceToken,
  throttleCheck, throttleFailure, throttleSuccess,
  hashSecurityAnswers, verifySecurityAnswers, normalizeSecurityAnswer, type SecurityAnswersRecord,
  type SecurityAnswersCheck, type SecurityAnswerEntry,
  type BackupRecord, type RecoveryRecord, type RecoveryStatus, type VerificationRecord, type ThrottleState,
  type DeviceCheck, type DeviceKey, type IssuedDeviceToken, type ThrottleDecision, type VerificationOutcome,
  type BackupCodesOptions,
} from "twofa/flows";
import {
  issueActionLink, verifyActionLink,
  type ActionLinkCheck, type ActionLinkOptions, type ActionLinkRejection, type IssuedActionLink,
} from "twofa/flows";
import initVault, { VaultKey, type VaultCost } from "twofa/vault";
import initImport, {
  exportAegis, importAccounts, type AccountInput, type ImportedAccount, type ImportFormat, type ImportOptions,
  type ImportResult,
} from "twofa/import";

/** `true` unless `T` is `any`: a declaration typed `any` shows here (an unresolved import tsc reports itself). */
type NotAny<T> = 0 extends 1 & T ? never : true;

export async function usage(): Promise<void> {
  await init();
  await init({ module_or_path: wasmUrl });
  // Every entry loads its own module, and answers its memory.
  const instances: Instance[] = [
    await initQr(), await initQr({ module_or_path: qrWasmUrl }),
    await initMigration(), await initMigration({ module_or_path: migrationWasmUrl }),
    await initFlows(), await initFlows({ module_or_path: flowsWasmUrl }),
    await initVault(), await initVault({ module_or_path: vaultWasmUrl }),
    await initImport(), await initImport({ module_or_path: importWasmUrl }),
  ];
  const qrMemory: ArrayBuffer = instances[0]!.memory.buffer;
  const synced: Instance = initSync({ module: new Uint8Array() });
  const qrSynced: ArrayBuffer = initQrSync({ module: new WebAssembly.Module(new Uint8Array()) }).memory.buffer;
  void [qrMemory, synced, qrSynced];
  // @ts-expect-error: init takes { module_or_path }, not a bare URL
  await initQr(qrWasmUrl);
  // @ts-expect-error: initSync takes { module }
  initSync({ module_or_path: wasmUrl });
  const counterFromStorage: number | bigint = Math.random() < 0.5 ? 1 : 1n;
  const unknownKind: HotpMatch<number | bigint> | null = new Hotp({ secret: "JBSWY3DPEHPK3PXP" }).verify("123456", { counter: counterFromStorage });
  void unknownKind;
  const secret: Secret = Secret.generate();
  const weak: boolean = Secret.fromBase32("JBSWY3DPEHPK3PXP").isWeak;
  const bytes: Uint8Array = Secret.fromBytes(new Uint8Array(20)).toBytes();
  const length: number = secret.byteLength;

  const totp = new Totp({ secret, algorithm: "SHA256", digits: 8, period: 60, issuer: "ACME" });
  const code: string = totp.generate();
  const at: string = totp.generate(Date.now());
  const match: TotpMatch | null = totp.verify(code, { window: { past: 1, future: 0 }, afterStep: 5 });
  const step: number | undefined = match?.step;
  totp.verify(code, { window: 2, timestamp: 0 });
  const remaining: number = totp.remaining();
  const steam = new Totp({ secret: "BASE32SECRET3232", encoder: "steam" });
  const encoder: "steam" | undefined = steam.encoder;

  const hotp = new Hotp({ secret: "JBSWY3DPEHPK3PXP", counter: 5n });
  hotp.generate();
  hotp.generate(2n ** 40n);
  const small: HotpMatch<number> | null = hotp.verify("123456", { counter: 1, window: 3 });
  const n: number | undefined = small?.counter;
  const big: HotpMatch<bigint> | null = hotp.verify("123456", { counter: 1n });
  const b: bigint | undefined = big?.counter;
  const either: HotpMatch<number | bigint> | null = hotp.verify("123456");
  // @ts-expect-error: without a counter option the type depends on the instance
  const notKnown: number | undefined = hotp.verify("123456", { window: 2 })?.counter;

  try {
    Secret.fromBase32("A");
  } catch (err) {
    const code: ErrorCode = (err as TwofaError).code;
    void code;
  }

  // otpauth:// URIs: the parsed account is a union narrowed by `type`.
  const parsed: ParsedUri = parseUri("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP");
  if (parsed.type === "totp") {
    const period: number = parsed.period;
    const steamy: "steam" | undefined = parsed.encoder;
    void [period, steamy];
  } else {
    const counter: number | bigint = parsed.counter;
    void counter;
  }
  const warned: WarningCode[] = parsed.warnings.map((w) => w.code);
  const uri: string = buildUri(parsed);
  buildUri({ type: "hotp", secret, counter: 5n, issuer: "ACME", account: "ada", image: "https://example.com/a.png" });
  buildUri({ secret: "JBSWY3DPEHPK3PXP", account: "ada" });
  const fromUri: Totp = Totp.fromUri(uri);
  const hotpUri: string = Hotp.fromUri("otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=1").toUri();
  const image: string | undefined = fromUri.image;
  const batch: MigrationBatch = parseMigrationUri("otpauth-migration://offline?data=");
  const accounts: Account[] = batch.accounts;
  const names: string[] = batch.accounts.map((a) => a.name);
  const exported: string[] = buildMigrationUris(batch.accounts).uris;
  const index: number | undefined = buildMigrationUris([parsed]).warnings[0]?.index;
  // QR codes.
  const svg: string = qrSvg(uri, { ecc: "H", margin: 2, dark: "#000", light: null });
  const matrix: QrMatrix = qrMatrix(uri, { ecc: "L" });
  const modules: Uint8Array = matrix.modules;
  const texts: string[] = decodeQr({ width: 1, height: 1, data: new Uint8ClampedArray(4) });
  void [warned, hotpUri, image, accounts, names, exported, index, svg, modules, texts];
  // @ts-expect-error: an HOTP account has no period
  const noPeriod: number = parsed.type === "hotp" ? parsed.period : 0;
  // @ts-expect-error: ecc is L, M, Q or H
  qrSvg(uri, { ecc: "X" });
  // @ts-expect-error: decodeQr takes pixels, not a string
  decodeQr("otpauth://");
  // @ts-expect-error: an HOTP account needs type "hotp" for its counter
  buildUri({ type: "totp", secret: "JBSWY3DPEHPK3PXP", counter: 1 });
  // @ts-expect-error: warnings are an enumeration
  const wrongWarning: WarningCode = "NOPE";
  void [noPeriod, wrongWarning];

  // The flows: every state object is typed, and JSON round trips keep the type.
  const set = generateBackupCodes({ count: 10 });
  const stored: BackupRecord = JSON.parse(JSON.stringify(set.record)) as BackupRecord;
  const spent: { matched: boolean; remaining: number; record: BackupRecord } = verifyBackupCode(stored, set.codes[0] ?? "");
  const sheet: string = backupCodesText(set.codes, { account: "ada", issuer: "ACME" });
  const rec = issueRecoveryCode({ user: "ada", ttl: 3_600_000 });
  const recoveryRecords: RecoveryRecord[] = [rec.record];
  const status: RecoveryStatus = verifyRecoveryCode(recoveryRecords, { user: "ada", code: rec.code }).status;
  const sent = issueVerificationCode({ digits: 6, maxAttempts: 5 });
  const vrec: VerificationRecord = verifyVerificationCode(sent.record, "123456").record;
  const key = new Uint8Array(32);
  const device: IssuedDeviceToken = issueDeviceToken(key, { deviceId: "d1", label: "Firefox", ttl: 14 * 86_400_000 });
  // Keys are bytes or base32 text: a Secret of the root entry goes as either.
  const retired: DeviceKey[] = [Secret.generate(32).toBytes(), Secret.generate(32).toBase32()];
  const checked: DeviceCheck = verifyDeviceToken([key, ...retired], device.token, { user: "ada", revoked: ["d0"] });
  verifyDeviceToken("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", device.token);
  // @ts-expect-error: a Secret does not cross into twofa/flows; pass its bytes or base32 text
  issueDeviceToken(Secret.generate(32), { deviceId: "d1" });
  const bigResync: { counter: bigint } | null = new Hotp({ secret: "JBSWY3DPEHPK3PXP" }).resync("1", "2", { counter: 5n });
  void bigResync;
  if (checked.ok) {
    const id: string = checked.deviceId;
    void id;
  } else {
    const reason: "MALFORMED" | "BAD_SIGNATURE" | "EXPIRED" | "REVOKED" | "WRONG_USER" = checked.reason;
    void reason;
  }
  let throttle: ThrottleState | undefined;
  if (throttleCheck(throttle).allowed) throttle = throttleFailure(throttle, { freeAttempts: 3 });
  throttle = throttleSuccess();
  const resynced: { counter: number | bigint } | null = new Hotp({ secret: "JBSWY3DPEHPK3PXP" }).resync("123456", "654321", { window: 500 });
  void [spent, sheet, status, vrec, throttle, resynced];
  // @ts-expect-error: a rejected device check has no deviceId
  const noId: string = checked.ok ? "" : checked.deviceId;
  // @ts-expect-error: statuses are an enumeration
  const badStatus: RecoveryStatus = "FINE";
  // @ts-expect-error: a recovery code needs a user
  issueRecoveryCode({ ttl: 1000 });
  void [noId, badStatus];

  // Action links: issued under a device-style key, checked with its purpose, user and state.
  const linkOptions: ActionLinkOptions = { purpose: "reset-totp", user: "ada", state: "2fa:rev=41:secret=s-7" };
  const link: IssuedActionLink = issueActionLink(key, { ...linkOptions, ttl: 3_600_000 });
  const linkId: string = link.linkId;
  const linkCheck: ActionLinkCheck = verifyActionLink([key, ...retired], link.token, { ...linkOptions, revoked: [linkId], now: 0 });
  verifyActionLink("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", link.token, linkOptions);
  if (linkCheck.ok) {
    const used: [string, string, string, number, number, number] = [linkCheck.linkId, linkCheck.purpose, linkCheck.user, linkCheck.issuedAt, linkCheck.expiresAt, linkCheck.keyIndex];
    void used;
  } else {
    const why: "MALFORMED" | "BAD_SIGNATURE" | "EXPIRED" | "WRONG_PURPOSE" | "WRONG_USER" | "REVOKED" | "STATE_CHANGED" = linkCheck.reason;
    const same: ActionLinkRejection = why;
    void same;
  }
  const linkTyped: [NotAny<ActionLinkCheck>, NotAny<Parameters<typeof issueActionLink>[1]>, NotAny<Parameters<typeof verifyActionLink>[2]>] = [true, true, true];
  // @ts-expect-error: a link is bound to a state; pass "" for none
  issueActionLink(key, { purpose: "reset-totp", user: "ada" });
  // @ts-expect-error: verifying needs the purpose, the user and the state
  verifyActionLink(key, link.token, { user: "ada", state: "" });
  // @ts-expect-error: a refused link has no linkId
  const noLinkId: string = linkCheck.ok ? "" : linkCheck.linkId;
  // @ts-expect-error: reasons are an enumeration
  const badReason: ActionLinkRejection = "USED";
  // @ts-expect-error: a Secret does not cross into twofa/flows
  issueActionLink(Secret.generate(32), linkOptions);
  void [linkTyped, noLinkId, badReason];
  // Security answers: the record is plain JSON, revisions are numbers, answers are strings.
  const entries: SecurityAnswerEntry[] = [{ question: "First pet?", answer: "Fluffy" }];
  const answers: SecurityAnswersRecord = hashSecurityAnswers(entries, { now: 0 });
  const replaced: SecurityAnswersRecord = hashSecurityAnswers(entries, { replaces: JSON.parse(JSON.stringify(answers)) as SecurityAnswersRecord });
  const fields: [1, string[], number, number, string, string, number, number] = [
    replaced.version, replaced.questions, replaced.memoryKib, replaced.passes, replaced.salt, replaced.hash, replaced.createdAt, replaced.revision,
  ];
  const answered: SecurityAnswersCheck = verifySecurityAnswers(answers, ["fluffy"]);
  const matched: boolean = answered.matched;
  const normalised: string = normalizeSecurityAnswer(" Straße ");
  // @ts-expect-error: an entry needs its answer
  hashSecurityAnswers([{ question: "First pet?" }]);
  // @ts-expect-error: answers are strings, in the order of the questions
  verifySecurityAnswers(answers, [42]);
  // @ts-expect-error: a check has no record: nothing to store
  void verifySecurityAnswers(answers, ["fluffy"]).record;
  void [fields, matched, normalised];

  const shape: TokenShape = checkToken("123 456", { digits: 6 });
  const typed: string | undefined = shape.ok ? shape.token : undefined;
  const unfinished: boolean = !shape.ok && shape.incomplete;
  // @ts-expect-error: only an ok shape has a token
  const noToken: string = checkToken("12").token;
  // @ts-expect-error: the only encoder is "steam"
  checkToken("12345", { encoder: "hex" });
  void [typed, unfinished, noToken];

  const sample: ClockSample = { date: "Sun, 06 Nov 1994 08:49:37 GMT", sentAt: 0, receivedAt: 200 };
  const estimate: ClockOffset = estimateClockOffset(sample);
  const offsetMs: number = estimate.offsetMs;
  const errorMs: number = estimate.errorMs;
  const off: boolean = clockIsOff(estimate, 30) || clockIsOff({ offsetMs: 16_000, errorMs: 500 });
  // The header as fetch gives it: null when there is none.
  estimateClockOffset({ date: null, sentAt: 0, receivedAt: 0 });
  // @ts-expect-error: the times are numbers of milliseconds, not Dates
  estimateClockOffset({ date: "Sun, 06 Nov 1994 08:49:37 GMT", sentAt: new Date(), receivedAt: 0 });
  // @ts-expect-error: both times are required
  estimateClockOffset({ date: "Sun, 06 Nov 1994 08:49:37 GMT", sentAt: 0 });
  // @ts-expect-error: the period is a number of seconds
  clockIsOff(estimate, "30");
  void [offsetMs, errorMs, off];

  const cost: VaultCost = { memoryKib: 65536, iterations: 3 };
  const vaultKey: VaultKey = VaultKey.derive("passphrase", cost);
  const sealed: string = vaultKey.seal("{}");
  const opened: string = VaultKey.unlock("passphrase", sealed).open(sealed);
  const keyBytes: Uint8Array = vaultKey.toBytes();
  const memory: number = VaultKey.fromBytes(keyBytes).memoryKib;
  const version: 1 | 2 = vaultKey.version;
  // @ts-expect-error: a vault seals text, not objects
  vaultKey.seal({ accounts: [] });
  // @ts-expect-error: the version is read, never set
  vaultKey.version = 2;
  void [opened, memory, version];

  // twofa/qr: the constant, the matrix and the decoder's pixels.
  const maxUri: 2331 = MAX_QR_URI_LEN;
  const levels: Ecc[] = ["L", "M", "Q", "H"];
  const side: number = qrMatrix("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP").size;
  const plainSvg: string = qrSvg("text");
  const fromBytes: string[] = decodeQr({ width: 2, height: 2, data: new Uint8Array(16) });
  const qrTyped: [NotAny<Parameters<typeof qrSvg>[1]>, NotAny<Parameters<typeof decodeQr>[0]>] = [true, true];
  // @ts-expect-error: a matrix has no margin; qrSvg draws the quiet zone
  qrMatrix(uri, { margin: 4 });
  // @ts-expect-error: light is a colour or null, not false
  qrSvg(uri, { light: false });
  void [maxUri, levels, side, plainSvg, fromBytes, qrTyped];

  // twofa/migration: a batch's place in its export, and accounts written as buildUri takes them.
  const batchOf: MigrationBatch = parseMigrationUri("otpauth-migration://offline?data=");
  const firstAccount: MigrationAccount | undefined = batchOf.accounts[0];
  const label: string | undefined = firstAccount?.name;
  const place: [number, number, number, number] = [batchOf.batchSize, batchOf.batchIndex, batchOf.batchId, batchOf.version];
  const leftOut: number[] = batchOf.warnings.map((w) => w.index);
  const written: MigrationExport = buildMigrationUris([
    { secret: "JBSWY3DPEHPK3PXP", issuer: "ACME", account: "ada" },
    { type: "hotp", secret: "JBSWY3DPEHPK3PXP", counter: 1n },
  ]);
  const notWritten: MigrationWarningCode[] = written.warnings.map((w) => w.code);
  const migrationTyped: [NotAny<Parameters<typeof buildMigrationUris>[0][number]>, NotAny<MigrationBatch>] = [true, true];
  // @ts-expect-error: digits is a number
  buildMigrationUris([{ secret: "JBSWY3DPEHPK3PXP", digits: "6" }]);
  // @ts-expect-error: parseMigrationUri reads one URI, not a list
  parseMigrationUri(["otpauth-migration://offline?data="]);
  void [label, place, leftOut, notWritten, migrationTyped];

  // twofa/flows: throttling decisions, verification outcomes, keys as base32 text.
  const decision: ThrottleDecision = throttleCheck(undefined, Date.now());
  const waitMs: number = decision.wait;
  const retryAt: number = decision.retryAt;
  const checkedCode = verifyVerificationCode(sent.record, "123456", { now: 0 });
  const outcome: VerificationOutcome = checkedCode.outcome;
  const attemptsLeft: number = checkedCode.attemptsLeft;
  const fromText: IssuedDeviceToken = issueDeviceToken("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", { deviceId: "d2", user: "ada" });
  const boundTo: string | undefined = fromText.user;
  const flowsTyped: [NotAny<DeviceKey>, NotAny<Parameters<typeof verifyDeviceToken>[0]>, NotAny<BackupRecord>] = [true, true, true];
  // @ts-expect-error: a device key is bytes or base32 text, not a number
  issueDeviceToken(42, { deviceId: "d" });
  // @ts-expect-error: outcomes are an enumeration
  const badOutcome: VerificationOutcome = "MAYBE";
  void [waitMs, retryAt, outcome, attemptsLeft, boundTo, flowsTyped, badOutcome];

  // twofa/flows: revisions on every record, `replaces`, and backup codes shown again.
  const revisions: number[] = [spent.record.revision, rec.record.revision, vrec.revision, throttleSuccess(throttle).revision];
  const sealedOptions: BackupCodesOptions = { count: 4, key: Secret.generate(32).toBytes(), replaces: spent.record };
  const sealedSet = generateBackupCodes(sealedOptions);
  const sealedEntries: (string | null)[] | undefined = sealedSet.record.sealed;
  const shownAgain: string[] = revealBackupCodes([key, ...retired], sealedSet.record);
  revealBackupCodes("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", sealedSet.record);
  issueVerificationCode({ replaces: sent.record });
  issueRecoveryCode({ user: "ada", replaces: rec.record });
  // @ts-expect-error: a set replaces a backup record, not a verification record
  generateBackupCodes({ replaces: sent.record });
  // @ts-expect-error: a Secret does not cross into twofa/flows
  revealBackupCodes(Secret.generate(32), sealedSet.record);
  // @ts-expect-error: a revision is a number
  const textRevision: string = sealedSet.record.revision;
  void [revisions, sealedEntries, shownAgain, textRevision];

  // twofa/vault: limits on a vault from elsewhere, the cost of a key, and `using`.
  const limited: VaultKey = VaultKey.unlock("passphrase", sealed, { maxMemoryKib: 1 << 20, maxIterations: 16 });
  const passes: number = limited.iterations;
  {
    using scoped = VaultKey.fromBytes(keyBytes);
    const again: string = scoped.open(sealed);
    void again;
  }
  const vaultTyped: [NotAny<VaultCost>, NotAny<ReturnType<typeof VaultKey.derive>>] = [true, true];
  // @ts-expect-error: keys come from derive, unlock or fromBytes
  new VaultKey();
  // @ts-expect-error: the cost is memoryKib and iterations
  VaultKey.derive("passphrase", { memory: 65536 });
  void [passes, vaultTyped];

  // twofa/import: text or bytes in, a format of the union out; imported accounts export
  // to Aegis as they are.
  const options: ImportOptions = { password: "pw", maxMemoryMiB: 256 };
  const result: ImportResult = importAccounts(new Uint8Array(0), options);
  const textFormat: ImportFormat = importAccounts("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP").format;
  const first: ImportedAccount | undefined = result.accounts[0];
  const entryName: string | undefined = first?.name;
  const entryIndex: number | undefined = first?.index;
  const warningIndex: number | undefined = result.warnings[0]?.index;
  const input: AccountInput[] = [...result.accounts, { secret: "JBSWY3DPEHPK3PXP", name: "ACME", type: "hotp", counter: 1n }];
  const aegis: string = exportAegis(input, { password: "pw" });
  const importTyped: [NotAny<ImportResult>, NotAny<ImportFormat>, NotAny<AccountInput>] = [true, true, true];
  // @ts-expect-error: the format is one of the names twofa reads
  const otherFormat: ImportFormat = "keepass";
  // @ts-expect-error: an export is text or bytes
  importAccounts({ accounts: [] });
  // @ts-expect-error: maxMemoryMiB is a number
  importAccounts("", { maxMemoryMiB: "1024" });
  // @ts-expect-error: a Secret does not cross into twofa/import; pass its base32 text
  exportAegis([{ secret: Secret.generate() }]);
  void [textFormat, entryName, entryIndex, warningIndex, aegis, importTyped, otherFormat];

  // @ts-expect-error: not an algorithm
  new Totp({ secret, algorithm: "MD5" });
  // @ts-expect-error: the only encoder is "steam"
  new Totp({ secret, encoder: "base64" });
  // @ts-expect-error: a secret is required
  new Totp({ digits: 6 });
  // @ts-expect-error: timestamps are numbers
  totp.generate("now");
  // @ts-expect-error: a match's step is a number
  const wrongStep: string | undefined = match?.step;
  // @ts-expect-error: a bigint counter gives a bigint back
  const wrongCounter: number | undefined = hotp.verify("123456", { counter: 1n })?.counter;
  // @ts-expect-error: codes are an enumeration
  const wrongCode: ErrorCode = "NOT_A_CODE";
  void [weak, bytes, length, at, step, remaining, encoder, n, b, either, notKnown, wrongStep, wrongCounter, wrongCode];
}
