using System.Collections.Concurrent;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Security;
using Parley.Core.Settings;

namespace Parley.Core.Domains;

/// <summary>
/// Signs outgoing messages with every active key of the From domain (RSA and Ed25519,
/// relaxed/relaxed). Decrypted keys are cached per key id: decrypting and parsing PKCS#8 costs
/// more than the signature itself.
/// </summary>
public sealed class DkimSignerCache(SecretProtector secrets)
{
    private static readonly HeaderId[] SignedHeaders =
    [
        HeaderId.From, HeaderId.To, HeaderId.Cc, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId,
        HeaderId.ReplyTo, HeaderId.InReplyTo, HeaderId.References, HeaderId.MimeVersion, HeaderId.ContentType,
        HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost,
    ];

    private readonly ConcurrentDictionary<long, DkimSigner> _signers = new();

    /// <returns>The selectors that signed.</returns>
    public IReadOnlyList<string> Sign(MimeMessage message, string domain, IEnumerable<DkimKey> keys)
    {
        var active = keys.Where(k => k.IsActive).OrderBy(k => k.Algorithm).ToList();
        if (active.Count == 0)
        {
            return [];
        }
        // 7-bit transfer encodings, so no relay re-encodes the body and breaks the signature.
        message.Prepare(EncodingConstraint.SevenBit);
        var headers = SignedHeaders.Where(h => h == HeaderId.From || message.Headers.Contains(h)).ToArray();
        foreach (var key in active)
        {
            _signers.GetOrAdd(key.Id, _ => Create(key, domain)).Sign(message, headers);
        }

        return active.Select(k => k.Selector).ToList();
    }

    /// <summary>A relaxed/relaxed signer for one key: native RSA for RSA keys, MimeKit's Ed25519.</summary>
    public static DkimSigner CreateSigner(byte[] pkcs8, DkimAlgorithm algorithm, string domain, string selector)
    {
        var signer = algorithm == DkimAlgorithm.RsaSha256
            ? new NativeRsaDkimSigner(pkcs8, domain, selector)
            : new DkimSigner(PrivateKeyFactory.CreateKey(pkcs8), domain, selector, DkimSignatureAlgorithm.Ed25519Sha256);
        signer.HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        signer.BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        signer.AgentOrUserIdentifier = "@" + domain;
        return signer;
    }

    private DkimSigner Create(DkimKey key, string domain)
    {
        var pkcs8 = Convert.FromBase64String(secrets.Unprotect(key.ProtectedPrivateKey, StoredSecret.DkimKey(domain, key.Selector))!);
        return CreateSigner(pkcs8, key.Algorithm, domain, key.Selector);
    }
}
