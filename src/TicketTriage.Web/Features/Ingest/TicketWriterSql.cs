using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Data.SqlClient;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>
/// The writer's three statements in each provider's dialect. SQLite and PostgreSQL share <c>INSERT … ON CONFLICT</c>
/// (only the new id is read differently); SQL Server has no ON CONFLICT, so it gets the same effect in T-SQL: an
/// insert guarded by <c>NOT EXISTS</c> under <c>UPDLOCK, HOLDLOCK</c> (a key-range lock, so a concurrent writer on
/// another app instance waits instead of slipping in between check and insert), and <c>MERGE … WITH (HOLDLOCK)</c> for
/// the customer upsert. All three read double-quoted names (SQL Server with QUOTED_IDENTIFIER ON, SqlClient's default).
/// </summary>
internal sealed record TicketWriterSql(string FindTicket, string UpsertCustomer, string InsertTicket)
{
    private const string Find = """
        SELECT "Id" FROM "Tickets" WHERE "Source" = @source AND "ExternalId" = @externalId
        """;

    private const string OnConflictInsert = """
        INSERT INTO "Tickets" ("Source", "ExternalId", "Channel", "Subject", "Body", "Status", "CreatedAt", "UpdatedAt", "ReceivedAt", "AttributesJson", "CustomerId")
        VALUES (@source, @externalId, @channel, @subject, @body, 'New', @createdAt, @now, @now, @attributes, @customerId)
        ON CONFLICT ("Source", "ExternalId") DO NOTHING
        """;

    private const string OnConflictUpsertCustomer = """
        INSERT INTO "Customers" ("Email", "Username", "Name", "Plan", "Tier", "Server", "Datacenter", "Region", "AttributesJson", "CreatedAt", "UpdatedAt")
        VALUES (@email, @username, @name, @plan, @tier, @server, @datacenter, @region, @attributes, @now, @now)
        ON CONFLICT ("Email") DO UPDATE SET
            "Username" = COALESCE(excluded."Username", "Customers"."Username"),
            "Name" = COALESCE(excluded."Name", "Customers"."Name"),
            "Plan" = COALESCE(excluded."Plan", "Customers"."Plan"),
            "Tier" = COALESCE(excluded."Tier", "Customers"."Tier"),
            "Server" = COALESCE(excluded."Server", "Customers"."Server"),
            "Datacenter" = COALESCE(excluded."Datacenter", "Customers"."Datacenter"),
            "Region" = COALESCE(excluded."Region", "Customers"."Region"),
            "AttributesJson" = COALESCE(excluded."AttributesJson", "Customers"."AttributesJson"),
            "UpdatedAt" = excluded."UpdatedAt"
        RETURNING "Id"
        """;

    // SQLite: RETURNING makes every insert a reader (~40% slower); the row id comes from sqlite3_last_insert_rowid.
    public static readonly TicketWriterSql Sqlite = new(Find, OnConflictUpsertCustomer, OnConflictInsert);

    public static readonly TicketWriterSql Postgres = new(Find, OnConflictUpsertCustomer, OnConflictInsert + " RETURNING \"Id\"");

    public static readonly TicketWriterSql SqlServer = new(Find, """
        MERGE "Customers" WITH (HOLDLOCK) AS "Target"
        USING (SELECT @email AS "Email") AS "Source" ON "Target"."Email" = "Source"."Email"
        WHEN MATCHED THEN UPDATE SET
            "Username" = COALESCE(@username, "Target"."Username"),
            "Name" = COALESCE(@name, "Target"."Name"),
            "Plan" = COALESCE(@plan, "Target"."Plan"),
            "Tier" = COALESCE(@tier, "Target"."Tier"),
            "Server" = COALESCE(@server, "Target"."Server"),
            "Datacenter" = COALESCE(@datacenter, "Target"."Datacenter"),
            "Region" = COALESCE(@region, "Target"."Region"),
            "AttributesJson" = COALESCE(@attributes, "Target"."AttributesJson"),
            "UpdatedAt" = @now
        WHEN NOT MATCHED THEN
            INSERT ("Email", "Username", "Name", "Plan", "Tier", "Server", "Datacenter", "Region", "AttributesJson", "CreatedAt", "UpdatedAt")
            VALUES (@email, @username, @name, @plan, @tier, @server, @datacenter, @region, @attributes, @now, @now)
        OUTPUT inserted."Id";
        """, """
        INSERT INTO "Tickets" ("Source", "ExternalId", "Channel", "Subject", "Body", "Status", "CreatedAt", "UpdatedAt", "ReceivedAt", "AttributesJson", "CustomerId")
        OUTPUT inserted."Id"
        SELECT @source, @externalId, @channel, @subject, @body, N'New', @createdAt, @now, @now, @attributes, @customerId
        WHERE NOT EXISTS (SELECT 1 FROM "Tickets" WITH (UPDLOCK, HOLDLOCK) WHERE "Source" = @source AND "ExternalId" = @externalId);
        """);

    public static TicketWriterSql For(DbConnection connection) => connection switch
    {
        SqliteConnection => Sqlite,
        SqlConnection => SqlServer,
        _ => Postgres,
    };
}
