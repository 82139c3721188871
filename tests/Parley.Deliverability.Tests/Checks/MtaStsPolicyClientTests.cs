using System.Net;
using System.Net.Sockets;
using System.Text;
using Parley.Deliverability.Checks;

namespace Parley.Deliverability.Tests.Checks;

/// <summary>
/// The client every MTA-STS policy fetch goes through (serve and `parley doctor --fetch-mta-sts`), against a real
/// HTTP server on loopback: RFC 8461 §3.3 says a policy fetch must not follow redirects.
/// </summary>
public sealed class MtaStsPolicyClientTests
{
    [Fact]
    public async Task A_redirect_is_answered_as_it_is_and_its_target_is_never_asked()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var requests = new List<string>();
        var server = Task.Run(async () =>
        {
            // Answers every request with a redirect to /elsewhere; a client that follows it comes back a second time.
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                using var stream = client.GetStream();
                var buffer = new byte[4096];
                var read = await stream.ReadAsync(buffer);
                lock (requests)
                {
                    requests.Add(Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0]);
                }

                var answer = $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{port}/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
            }
        });

        using var http = HttpMtaStsPolicyFetcher.CreateClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/.well-known/mta-sts.txt"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        lock (requests)
        {
            Assert.Equal(["GET /.well-known/mta-sts.txt HTTP/1.1"], requests);
        }

        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => server);
    }
}
