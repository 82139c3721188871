// DKIM signing rate of Parley's signer (MimeKit, relaxed/relaxed, the same headers as outbound)
// over the same ~4 KB messages that bench/dkim/pydkim.py signs with python3-dkim.
// Usage: dotnet run -c Release -- OUTDIR COUNT   (writes the messages and the keys to OUTDIR)
using System.Diagnostics;
using MimeKit;
using Parley.Core.Domains;

var outDir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "parley-dkim-bench");
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
Directory.CreateDirectory(outDir);

var messages = Enumerable.Range(0, count).Select(i =>
{
    var m = new MimeMessage();
    m.From.Add(new MailboxAddress("Sales", "sales@shop.test"));
    m.To.Add(new MailboxAddress($"Customer {i}", $"c{i}@customer.test"));
    m.Subject = $"Your order {i}";
    m.MessageId = $"{i}.bench@shop.test";
    m.Date = DateTimeOffset.UnixEpoch.AddDays(i);
    m.Body = new TextPart("plain") { Text = string.Join("\r\n", Enumerable.Repeat($"Line of the order confirmation number {i}, with enough text to reach four kilobytes.", 48)) };
    using var s = new MemoryStream();
    m.WriteTo(FormatOptions.Default, s);
    return s.ToArray();
}).ToList();
for (var i = 0; i < Math.Min(count, 200); i++) File.WriteAllBytes(Path.Combine(outDir, $"m{i}.eml"), messages[i]);

foreach (var algorithm in new[] { DkimAlgorithm.RsaSha256, DkimAlgorithm.Ed25519Sha256 })
{
    var pair = DkimKeyGenerator.Generate(algorithm);
    File.WriteAllText(Path.Combine(outDir, algorithm == DkimAlgorithm.RsaSha256 ? "rsa.pk8" : "ed25519.pk8"), Convert.ToBase64String(pair.PrivateKeyPkcs8));
    var signer = DkimSignerCache.CreateSigner(pair.PrivateKeyPkcs8, algorithm, "shop.test", "bench");
    HeaderId[] headers = [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.MimeVersion, HeaderId.ContentType];
    var parsed = messages.Select(b => MimeMessage.Load(new MemoryStream(b))).ToList();
    signer.Sign(parsed[0], headers); // warm-up (JIT)
    var watch = Stopwatch.StartNew();
    foreach (var m in parsed) signer.Sign(m, headers);
    watch.Stop();
    Console.WriteLine($"{(algorithm == DkimAlgorithm.RsaSha256 ? "rsa" : "ed25519")}: {count / watch.Elapsed.TotalSeconds:F0} signatures/s ({watch.Elapsed.TotalMilliseconds * 1000 / count:F0} µs each, one core)");
}
