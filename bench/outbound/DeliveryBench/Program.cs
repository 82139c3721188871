using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Parley.Smtp.Delivery;

// Usage: DeliveryBench PORT N PARALLEL. Prints key=value lines.
var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var count = int.Parse(args[1], CultureInfo.InvariantCulture);
var parallel = int.Parse(args[2], CultureInfo.InvariantCulture);
var options = new SmtpDeliveryOptions { HeloName = "bench.parley.test", MaxParallelSends = parallel, MaxConnectionsPerDestination = parallel };
await using var client = new SmtpDeliveryClient(Options.Create(options), NullLogger<SmtpDeliveryClient>.Instance);
var relay = new RelayEndpoint("127.0.0.1", port, SmtpSecurity.None, null, null);
var body = string.Concat(Enumerable.Repeat("Parley delivery benchmark line of text, sixty-four bytes long..\n", 60));
var requests = Enumerable.Range(1, count).Select(i =>
{
    var message = new MimeMessage();
    message.From.Add(new MailboxAddress("Bench", "bench@parley.test"));
    message.To.Add(new MailboxAddress($"Contact {i}", $"contact{i}@customer.test"));
    message.Subject = $"Message {i}";
    message.Body = new TextPart("plain") { Text = body };
    return new DeliveryRequest(message, "bounce@parley.test", [$"contact{i}@customer.test"], relay);
}).ToList();

var clock = Stopwatch.StartNew();
var results = await client.SendManyAsync(requests, CancellationToken.None);
var seconds = clock.Elapsed.TotalSeconds;
var sent = results.Count(r => r.IsSent);
Console.WriteLine($"delivery_sent={sent}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"delivery_msgs_per_s={sent / seconds:0.0}"));
Console.WriteLine($"delivery_sessions={client.ConnectionsOpened}");
if (sent != count)
{
    Console.WriteLine("first failure: " + results.First(r => !r.IsSent).Response);
    return 1;
}

return 0;
