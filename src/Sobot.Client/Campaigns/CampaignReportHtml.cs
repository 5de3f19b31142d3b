using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace Sobot.Client.Campaigns
{
    /// <summary>
    /// A campaign report as one self-contained HTML page: no script, no network, no CDN; inline CSS and inline
    /// SVG charts (the funnel, sends and reads per hour, failure reasons), so it opens from a mail attachment
    /// or a file share. Every figure carries a data-figure attribute with the object's property name, so a test
    /// (or a person) can check the page against the object.
    /// </summary>
    public static class CampaignReportHtml
    {
        private static readonly CultureInfo C = CultureInfo.InvariantCulture;

        public static string Render(CampaignReport report, string title = "Campaign report")
        {
            var h = new StringBuilder(16 * 1024);
            h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n");
            h.Append("<style>body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#1d2733;background:#fff}")
             .Append("h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}p.meta{color:#5b6776;margin:0 0 16px}")
             .Append(".tiles{display:flex;flex-wrap:wrap;gap:12px}.tile{border:1px solid #d6dde5;border-radius:8px;padding:10px 14px;min-width:120px}")
             .Append(".tile b{display:block;font-size:24px}.tile span{color:#5b6776;font-size:12px}table{border-collapse:collapse}")
             .Append("td,th{border-bottom:1px solid #e3e8ee;padding:4px 10px;text-align:left}td.n{text-align:right}</style></head><body>\n");
            h.Append("<h1>").Append(E(title)).Append("</h1>\n<p class=\"meta\">Journal ").Append(E(report.JournalPath))
             .Append(" &middot; generated ").Append(report.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", C));
            if (report.FirstSendAt is DateTimeOffset first && report.LastSendAt is DateTimeOffset last)
                h.Append(" &middot; sent ").Append(first.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", C)).Append(" to ").Append(last.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", C));
            h.Append("</p>\n<div class=\"tiles\">");
            Tile(h, "Rows", "Rows", report.Rows, "rows in the journal");
            Tile(h, "Submitted", "Submitted", report.Submitted, "accepted by Sobot");
            Tile(h, "Delivered", "Delivered", report.Delivered, Percent(report.DeliveredRate) + " of submitted");
            Tile(h, "Read", "Read", report.Read, Percent(report.ReadRate) + " of submitted");
            Tile(h, "Failed", "Delivery failed", report.Failed, Percent(report.FailedRate) + " of submitted: WhatsApp could not deliver them");
            Tile(h, "Replied", "Replied", report.Replied, Percent(report.ReplyRate) + " of submitted");
            Tile(h, "OptedOut", "Opted out", report.OptedOut, "asked us to stop after their send");
            Tile(h, "Pending", "Pending", report.Pending, "no status yet");
            Tile(h, "NotSent", "Not sent", report.NotSent, "refused, never sent");
            Tile(h, "Unknown", "Unknown", report.Unknown, "may or may not have gone");
            h.Append("</div>\n");

            h.Append("<h2>Funnel</h2>\n");
            Bars(h, "funnel", report.Funnel.Select(s => (s.Step, s.Count, Percent(s.Rate))).ToList(), "#2f7de1");

            h.Append("<h2>Sends and reads per hour (UTC)</h2>\n");
            Timeline(h, report.Hours);

            h.Append("<h2>Failure reasons</h2>\n");
            if (report.FailureReasons.Count == 0) h.Append("<p data-figure=\"FailureReasons\" data-value=\"0\">No message failed delivery.</p>\n");
            else Bars(h, "failures", report.FailureReasons.Select(f => (f.Reason, f.Count, string.Empty)).ToList(), "#d9534f");

            h.Append("</body></html>\n");
            return h.ToString();
        }

        /// <summary>One figure: <paramref name="figure"/> is the report's property (data-figure), <paramref name="label"/> the words shown.</summary>
        private static void Tile(StringBuilder h, string figure, string label, long value, string caption) =>
            h.Append("<div class=\"tile\"><b data-figure=\"").Append(figure).Append("\">").Append(value.ToString(C))
             .Append("</b><span>").Append(E(label)).Append(" &middot; ").Append(E(caption)).Append("</span></div>");

        /// <summary>Horizontal bars, one per row, with the label, the count (a figure) and a note.</summary>
        private static void Bars(StringBuilder h, string id, IReadOnlyList<(string Label, long Count, string Note)> rows, string colour)
        {
            const int labelWidth = 230, barWidth = 420, rowHeight = 26;
            long max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.Count));
            int height = rows.Count * rowHeight + 6;
            h.Append("<svg id=\"").Append(id).Append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(labelWidth + barWidth + 140)
             .Append("\" height=\"").Append(height).Append("\" role=\"img\">");
            for (int i = 0; i < rows.Count; i++)
            {
                var (label, count, note) = rows[i];
                int y = i * rowHeight + 4;
                int w = (int)Math.Round(barWidth * (double)count / max);
                h.Append("<text x=\"0\" y=\"").Append(y + 16).Append("\" font-size=\"13\">").Append(E(Clip(label, 32))).Append("</text>");
                h.Append("<rect x=\"").Append(labelWidth).Append("\" y=\"").Append(y).Append("\" width=\"").Append(Math.Max(w, 1)).Append("\" height=\"20\" fill=\"").Append(colour).Append("\"/>");
                h.Append("<text x=\"").Append(labelWidth + Math.Max(w, 1) + 6).Append("\" y=\"").Append(y + 15).Append("\" font-size=\"13\" data-figure=\"").Append(E(id)).Append(':').Append(E(label)).Append("\">")
                 .Append(count.ToString(C)).Append("</text>");
                if (note.Length > 0)
                    h.Append("<text x=\"").Append(labelWidth + Math.Max(w, 1) + 70).Append("\" y=\"").Append(y + 15).Append("\" font-size=\"12\" fill=\"#5b6776\">").Append(E(note)).Append("</text>");
            }
            h.Append("</svg>\n");
        }

        /// <summary>Paired columns per hour: sends and reads, with the hours labelled every few columns.</summary>
        private static void Timeline(StringBuilder h, IReadOnlyList<CampaignHour> hours)
        {
            if (hours.Count == 0)
            {
                h.Append("<p>Nothing was sent.</p>\n");
                return;
            }
            const int chartHeight = 160, column = 14, gap = 6;
            long max = Math.Max(1, hours.Max(x => Math.Max(x.Sends, x.Reads)));
            int width = Math.Max(300, hours.Count * (2 * column + gap) + 60);
            h.Append("<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(width).Append("\" height=\"").Append(chartHeight + 40).Append("\" role=\"img\">");
            h.Append("<rect x=\"0\" y=\"0\" width=\"10\" height=\"10\" fill=\"#2f7de1\"/><text x=\"14\" y=\"10\" font-size=\"12\">sends</text>");
            h.Append("<rect x=\"70\" y=\"0\" width=\"10\" height=\"10\" fill=\"#5cb85c\"/><text x=\"84\" y=\"10\" font-size=\"12\">reads</text>");
            int every = Math.Max(1, hours.Count / 8);
            for (int i = 0; i < hours.Count; i++)
            {
                var hour = hours[i];
                int x = 10 + i * (2 * column + gap);
                int sh = (int)Math.Round((chartHeight - 20) * (double)hour.Sends / max), rh = (int)Math.Round((chartHeight - 20) * (double)hour.Reads / max);
                string at = hour.Hour.ToString("yyyy-MM-dd HH:00", C);
                h.Append("<rect x=\"").Append(x).Append("\" y=\"").Append(chartHeight - sh).Append("\" width=\"").Append(column).Append("\" height=\"").Append(sh)
                 .Append("\" fill=\"#2f7de1\" data-figure=\"sends:").Append(at).Append("\" data-value=\"").Append(hour.Sends.ToString(C)).Append("\"><title>").Append(at).Append(": ").Append(hour.Sends.ToString(C)).Append(" sent</title></rect>");
                h.Append("<rect x=\"").Append(x + column).Append("\" y=\"").Append(chartHeight - rh).Append("\" width=\"").Append(column).Append("\" height=\"").Append(rh)
                 .Append("\" fill=\"#5cb85c\" data-figure=\"reads:").Append(at).Append("\" data-value=\"").Append(hour.Reads.ToString(C)).Append("\"><title>").Append(at).Append(": ").Append(hour.Reads.ToString(C)).Append(" read</title></rect>");
                if (i % every == 0)
                    h.Append("<text x=\"").Append(x).Append("\" y=\"").Append(chartHeight + 16).Append("\" font-size=\"11\">").Append(hour.Hour.ToString("MM-dd HH:00", C)).Append("</text>");
            }
            h.Append("</svg>\n");
        }

        private static string Percent(double rate) => (rate * 100).ToString("0.0", C) + "%";

        private static string Clip(string s, int max) => s.Length <= max ? s : s.Substring(0, max - 1) + "…";

        private static string E(string s) => WebUtility.HtmlEncode(s);
    }
}
