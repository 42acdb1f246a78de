import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The server side of Cognito's SRP-6a, as its clients compute the other side
 * (Amplify v6: @aws-amplify/auth/dist/esm/providers/cognito/utils/srp/ and
 * handlePasswordVerifierChallenge.mjs). No maintained package implements
 * Cognito's variant — its padding, its `poolName + username + ':' + password`
 * inner hash, its HKDF and its signed claim — so it is written here with BigInt.
 *
 *   x = H(pad(salt) | H(poolName | username | ':' | password))     v = g^x
 *   k = H(pad(N) | pad(g))    B = (k·v + g^b) mod N    u = H(pad(A) | pad(B))
 *   S = (A · v^u)^b mod N     key = HKDF(ikm = pad(S), salt = pad(u), info = 'Caldera Derived Key' 0x01)[0..16]
 *   claim = base64(HMAC(key, poolName | username | secretBlock | timestamp))
 */

/** The 3072-bit group of RFC 5054 (also RFC 3526's), Cognito's N; g = 2. */
export const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1' +
    '29024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245' +
    'E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D' +
    'C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D' +
    '670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9' +
    'DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64' +
    'ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B' +
    'F12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31' +
    '43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const g = 2n;

/**
 * A non-negative integer as the hex of Java's `BigInteger.toByteArray()`: even length, with a
 * `00` byte in front when the top bit is set (Amplify's getPaddedHex, positive values only).
 */
export function padHex(value: bigint): string {
  if (value < 0n) throw new RangeError('SRP values are non-negative');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const hashHex = (hex: string) => sha256(Buffer.from(hex, 'hex')).toString('hex');
const toBigInt = (hex: string) => BigInt(`0x${hex}`);

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

export const k = toBigInt(hashHex(padHex(N) + padHex(g)));

/** What the pool keeps instead of a password: a salt and the verifier g^x. */
export interface PasswordVerifier {
  readonly salt: bigint;
  readonly verifier: bigint;
}

function privateKeyX(poolName: string, username: string, password: string, salt: bigint): bigint {
  const inner = sha256(`${poolName}${username}:${password}`).toString('hex');
  return toBigInt(hashHex(padHex(salt) + inner));
}

/** A new salt and verifier for a password (set by an administrator or chosen by the user). */
export function createVerifier(poolName: string, username: string, password: string): PasswordVerifier {
  const salt = toBigInt(randomBytes(16).toString('hex'));
  return { salt, verifier: modPow(g, privateKeyX(poolName, username, password, salt), N) };
}

/** The server's ephemeral pair for one sign-in: b stays here, B goes out as `SRP_B`. */
export interface ServerEphemeral {
  readonly b: bigint;
  readonly B: bigint;
}

export function serverEphemeral(verifier: bigint): ServerEphemeral {
  for (;;) {
    const b = toBigInt(randomBytes(128).toString('hex'));
    const B = (k * verifier + modPow(g, b, N)) % N;
    if (B !== 0n) return { b, B };
  }
}

/** The 16-byte key both sides derive; undefined when the client's A is invalid (A mod N = 0, or u = 0). */
export function sessionKey(A: bigint, ephemeral: ServerEphemeral, verifier: bigint): Buffer | undefined {
  if (A % N === 0n) return undefined;
  const u = toBigInt(hashHex(padHex(A) + padHex(ephemeral.B)));
  if (u === 0n) return undefined;
  const S = modPow(A * modPow(verifier, u, N), ephemeral.b, N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  const info = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
  return createHmac('sha256', prk).update(info).digest().subarray(0, 16);
}

/** The `PASSWORD_CLAIM_SIGNATURE` a client holding the right password sends. */
export function claimSignature(
  key: Buffer,
  poolName: string,
  username: string,
  secretBlock: string,
  timestamp: string,
): string {
  return createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(poolName, 'utf8'),
        Buffer.from(username, 'utf8'),
        Buffer.from(secretBlock, 'base64'),
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest('base64');
}

/** Compares two base64 signatures in constant time. */
export function signaturesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'base64');
  const b = Buffer.from(given, 'base64');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Parses `A` as the client sends it (`SRP_A`, unpadded hex). */
export function parseHex(value: string): bigint | undefined {
  return /^[0-9a-fA-F]{1,2048}$/.test(value) ? toBigInt(value) : undefined;
}
