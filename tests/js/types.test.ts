// Compile-time tests of the package's declarations (`tsc -p tests/js`). Each line after an
// expect-error directive must fail to type-check, and everything else must pass.
import wasmUrl from "twofa/twofa_bg.wasm";
import init, { Hotp, Secret, Totp, type ErrorCode, type HotpMatch, type TotpMatch, type TwofaError } from "twofa";

export async function usage(): Promise<void> {
  await init();
  await init({ module_or_path: wasmUrl });
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
