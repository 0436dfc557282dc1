using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace TicketTriage.Web.Features.Mail;

/// <summary>
/// Sends messages, one round at a time: <see cref="OpenAsync"/> once per dispatcher round (one SMTP connection for the
/// whole round), then a send per message. A thrown <see cref="PermanentMailException"/> means retrying cannot help.
/// </summary>
public interface IMailTransport
{
    Task<IMailSession> OpenAsync(CancellationToken cancellationToken);
}

public interface IMailSession : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>The server refused the message for good (5xx on the recipient or the message).</summary>
public sealed class PermanentMailException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Writes each message as <c>&lt;Message-Id&gt;.eml</c> into the pickup folder, through a temporary file and a rename:
/// a retried message replaces its own file, so the folder never holds a message twice or half.
/// </summary>
internal sealed class PickupMailTransport(IOptions<MailOptions> options, IHostEnvironment environment) : IMailTransport, IMailSession
{
    private readonly string _folder = Path.GetFullPath(options.Value.PickupPath, environment.ContentRootPath);

    public string Folder => _folder;

    public Task<IMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        return Task.FromResult<IMailSession>(this);
    }

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var name = string.Concat((message.MessageId ?? Guid.NewGuid().ToString("N")).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        var path = Path.Combine(_folder, name + ".eml");
        var temp = path + ".tmp";
        await message.WriteToAsync(temp, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>SMTP through MailKit: host, port, TLS mode and credentials from <see cref="MailOptions"/>.</summary>
internal sealed class SmtpMailTransport(IOptions<MailOptions> options) : IMailTransport
{
    public async Task<IMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            var security = o.Security switch
            {
                MailSecurity.None => SecureSocketOptions.None,
                MailSecurity.StartTls => SecureSocketOptions.StartTls,
                MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.Auto,
            };
            await client.ConnectAsync(o.Host, o.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(o.Username))
            {
                await client.AuthenticateAsync(o.Username, o.Password ?? "", cancellationToken);
            }

            return new Session(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private sealed class Session(SmtpClient client) : IMailSession
    {
        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            try
            {
                await client.SendAsync(message, cancellationToken);
            }
            catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
            {
                // 5xx on this recipient or message: the server will say the same next time. (A 4xx is retried.)
                throw new PermanentMailException($"{(int)ex.StatusCode} {ex.Message}", ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(quit: true);
                }
            }
            catch (Exception ex) when (ex is IOException or MailKit.ProtocolException or OperationCanceledException)
            {
                // The round is over either way; the server may already have closed.
            }

            client.Dispose();
        }
    }
}
