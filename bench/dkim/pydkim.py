# python3-dkim signing rate over the messages bench/dkim wrote, with the same keys and canonicalization.
# Usage: /usr/bin/python3 -I pydkim.py OUTDIR
import base64, glob, os, sys, time
import dkim
from cryptography.hazmat.primitives import serialization

out = sys.argv[1]
msgs = [open(p, 'rb').read() for p in sorted(glob.glob(os.path.join(out, 'm*.eml')))]
headers = [b'from', b'to', b'subject', b'date', b'message-id', b'mime-version', b'content-type']
for name, algo in (('rsa', b'rsa-sha256'), ('ed25519', b'ed25519-sha256')):
    der = base64.b64decode(open(os.path.join(out, name + '.pk8')).read())
    # Parley writes PKCS#8; BouncyCastle's Ed25519 PKCS#8 carries the public key too (v2), which
    # this cryptography version cannot read, so the Ed25519 seed (the last 32 bytes of the
    # private-key octet string) is taken directly.
    key = None if name == 'ed25519' else serialization.load_der_private_key(der, password=None)
    if name == 'rsa':
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    else:
        seed = der[16:48] if len(der) == 48 else der[der.index(bytes([0x04, 0x22, 0x04, 0x20])) + 4:][:32]
        pem = base64.b64encode(seed)
    start = time.perf_counter()
    for m in msgs:
        dkim.sign(m, b'bench', b'shop.test', pem, canonicalize=(b'relaxed', b'relaxed'), signature_algorithm=algo, include_headers=headers)
    elapsed = time.perf_counter() - start
    print(f"{name}: {len(msgs) / elapsed:.0f} signatures/s ({elapsed * 1e6 / len(msgs):.0f} µs each, one core)")
