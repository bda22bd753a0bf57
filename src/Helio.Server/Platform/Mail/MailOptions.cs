namespace Helio.Server.Platform.Mail;

/// <summary>Settings under "Mail". Without Smtp:Host, mails are written to &lt;data dir&gt;/mail-outbox/ as .eml files.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    public string From { get; set; } = "Helio <no-reply@helio.localhost>";
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Attempts before a mail is marked failed (visible in the log and to admins).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How often the outbox is polled when nothing signals it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>None, Auto, StartTls, StartTlsWhenAvailable or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "Auto";
    public string? Username { get; set; }
    public string? Password { get; set; }
}
