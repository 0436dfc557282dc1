namespace TicketTriage.Web.Features.Mail;

/// <summary>The <c>Mail</c> configuration section (README, "Configuration").</summary>
public sealed class MailOptions
{
    /// <summary><c>Pickup</c> (default: .eml files in <see cref="PickupPath"/>, no mail server needed) or <c>Smtp</c>.</summary>
    public MailTransportKind Transport { get; set; } = MailTransportKind.Pickup;

    /// <summary>Folder for .eml files; relative to the content root.</summary>
    public string PickupPath { get; set; } = ".data/mail-pickup";

    public string From { get; set; } = "support@tickettriage.local";
    public string FromName { get; set; } = "Support";

    /// <summary>The right-hand side of Message-Ids; empty: the domain of <see cref="From"/>.</summary>
    public string? MessageIdDomain { get; set; }

    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 25;

    /// <summary><c>None</c>, <c>Auto</c>, <c>StartTls</c> (require STARTTLS), <c>SslOnConnect</c>.</summary>
    public MailSecurity Security { get; set; } = MailSecurity.Auto;

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>Attempts per message before it is marked failed; the wait doubles after each (from <see cref="FirstRetryDelay"/>).</summary>
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Messages the dispatcher takes per round (one SMTP connection per round).</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>How often the dispatcher looks for due retries when nobody wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public string IdDomain => string.IsNullOrWhiteSpace(MessageIdDomain)
        ? (From.Contains('@', StringComparison.Ordinal) ? From[(From.IndexOf('@', StringComparison.Ordinal) + 1)..] : "tickettriage.local")
        : MessageIdDomain!;
}

public enum MailTransportKind
{
    Pickup,
    Smtp,
}

public enum MailSecurity
{
    None,
    Auto,
    StartTls,
    SslOnConnect,
}
