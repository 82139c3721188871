using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Inbound;
using Parley.Core.Tests.Fixtures;

namespace Parley.Core.Tests.Inbound;

/// <summary>
/// Random and mutated messages (real DSN samples truncated, byte-flipped, with random headers, deep multiparts,
/// huge headers) through storing and routing: the router never throws, nothing stays pending, every raw message
/// is kept byte for byte. Seeded and bounded in count.
/// </summary>
public sealed class InboundFuzzTests() : DatabaseTest(SqliteDatabaseFactory.Instance)
{
    private static IEnumerable<byte[]> Cases(Random random)
    {
        var seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Inbound", "Dsn"), "*.eml")
            .Select(f => Encoding.UTF8.GetBytes(File.ReadAllText(f).Replace("{VERP}", "bounce+1-abc@mail.parley.test")
                .Replace("{RCPT}", "ana@customer.test").Replace("{MSGID}", "x@y").Replace("\r\n", "\n").Replace("\n", "\r\n")))
            .ToList();
        seeds.Add("From: a@b.test\r\nTo: support@mail.parley.test\r\nSubject: hi\r\nMessage-ID: <m@b.test>\r\n\r\nhello\r\n"u8.ToArray());
        for (var i = 0; i < 120; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var bytes = (byte[])seed.Clone();
            switch (i % 6)
            {
                case 0: bytes = bytes[..random.Next(bytes.Length)]; break;
                case 1:
                    for (var k = 0; k < 20; k++)
                    {
                        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    }

                    break;
                case 2:
                    {
                        var header = new StringBuilder();
                        for (var k = 0; k < 30; k++)
                        {
                            var name = new string(Enumerable.Range(0, random.Next(1, 20)).Select(_ => (char)random.Next(33, 127)).ToArray()).Replace(":", "");
                            header.Append(name).Append(": ").Append(new string(Enumerable.Range(0, random.Next(0, 200)).Select(_ => (char)random.Next(1, 255)).ToArray())).Append("\r\n");
                        }
                        bytes = [.. Encoding.Latin1.GetBytes(header.ToString()), .. bytes];
                        break;
                    }
                case 3:
                    {
                        var depth = random.Next(50, 300);
                        var text = new StringBuilder("From: deep@b.test\r\nMIME-Version: 1.0\r\n");
                        for (var d = 0; d < depth; d++)
                        {
                            text.Append($"Content-Type: multipart/mixed; boundary=b{d}\r\n\r\n--b{d}\r\n");
                        }

                        text.Append("Content-Type: text/plain\r\n\r\nbottom\r\n");
                        for (var d = depth - 1; d >= 0; d--)
                        {
                            text.Append($"--b{d}--\r\n");
                        }

                        bytes = Encoding.ASCII.GetBytes(text.ToString());
                        break;
                    }
                case 4:
                    bytes = [.. Encoding.ASCII.GetBytes("X-Huge: " + new string('a', random.Next(50_000, 200_000)) + "\r\nSubject: " + new string('s', 20_000) + "\r\n"), .. bytes];
                    break;
                default:
                    bytes = new byte[random.Next(0, 5000)];
                    random.NextBytes(bytes);
                    break;
            }
            yield return bytes;
        }
    }

    [Fact]
    public async Task Mutated_and_random_messages_never_crash_routing_and_are_all_kept()
    {
        await Env.SetAliasDomainAsync();
        await Env.With<Aliases.AliasService, Aliases.MailAlias>(a => a.CreateAsync("support", "contact", Aliases.AliasContactPolicy.Everyone, default));
        var stored = new Dictionary<long, byte[]>();
        foreach (var raw in Cases(new Random(4242)))
        {
            var id = await Env.ReceiveAsync(raw, "", ["support@mail.parley.test"], helo: "fuzz.test");
            stored[id] = raw;
        }
        // 120 messages in batches of 50: three rounds route them all; more means a message keeps coming back.
        for (var round = 0; round < 10; round++)
        {
            if (await Env.With<InboundRouter, int>(r => r.RoutePendingAsync(50, default)) == 0)
            {
                break;
            }
        }

        var rows = await Env.Db(db => db.Inbound.AsNoTracking().Include(i => i.RawMime).ToListAsync());
        Assert.Equal(stored.Count, rows.Count);
        Assert.DoesNotContain(rows, r => r.Status == InboundStatus.Pending);
        foreach (var row in rows)
        {
            Assert.Equal(stored[row.Id], row.RawMime!.Content);
        }
    }
}
