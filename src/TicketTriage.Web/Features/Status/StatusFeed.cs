using System.Text;
using System.Xml;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Status;

/// <summary>The status page as an Atom feed (RFC 4287): one entry per incident update, newest first.</summary>
internal static class StatusFeed
{
    public static byte[] Render(string title, IReadOnlyList<PublicIncident> incidents, DateTime now)
    {
        var output = new MemoryStream();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            const string atom = "http://www.w3.org/2005/Atom";
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", atom);
            xml.WriteElementString("title", atom, title);
            xml.WriteElementString("id", atom, "urn:tickettriage:status");
            var entries = incidents.SelectMany(i => i.Updates.Count > 0
                    ? i.Updates.Select(u => (Incident: i, Id: $"urn:tickettriage:incident-update:{u.Id}", State: u.State, Body: u.Body, At: u.CreatedAt))
                    : [(Incident: i, Id: $"urn:tickettriage:incident:{i.Id}", State: i.State, Body: "We are investigating reports of this problem.", At: i.Started)])
                .OrderByDescending(x => x.At).Take(50).ToList();
            xml.WriteElementString("updated", atom, XmlConvert.ToString(entries.Count > 0 ? entries[0].At : now, XmlDateTimeSerializationMode.Utc));
            xml.WriteStartElement("link", atom);
            xml.WriteAttributeString("href", "/status");
            xml.WriteEndElement();
            xml.WriteStartElement("author", atom);
            xml.WriteElementString("name", atom, title);
            xml.WriteEndElement();
            foreach (var entry in entries)
            {
                xml.WriteStartElement("entry", atom);
                xml.WriteElementString("id", atom, entry.Id);
                xml.WriteElementString("title", atom, $"{entry.Incident.Title} — {entry.State}");
                xml.WriteElementString("updated", atom, XmlConvert.ToString(entry.At, XmlDateTimeSerializationMode.Utc));
                xml.WriteStartElement("link", atom);
                xml.WriteAttributeString("href", $"/status#incident-{entry.Incident.Id}");
                xml.WriteEndElement();
                xml.WriteStartElement("content", atom);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(entry.Body);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return output.ToArray();
    }
}
