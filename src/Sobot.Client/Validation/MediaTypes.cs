using System;
using System.Collections.Generic;

namespace Sobot.Client.Validation
{
    /// <summary>The MIME types the contract allows per media message, and inference from a URL's extension.</summary>
    public static class MediaTypes
    {
        public const int MaxCaptionLength = 1024;

        public static readonly IReadOnlyCollection<string> Image = new[] { "image/jpeg", "image/png" };

        public static readonly IReadOnlyCollection<string> Video = new[] { "video/mp4", "video/3gp" };

        public static readonly IReadOnlyCollection<string> Sticker = new[] { "image/webp" };

        public static readonly IReadOnlyCollection<string> Document = new[]
        {
            "text/plain", "application/pdf", "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        };

        private static readonly Dictionary<string, string> ByExtension = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".jpg"] = "image/jpeg",
            [".jpeg"] = "image/jpeg",
            [".png"] = "image/png",
            [".webp"] = "image/webp",
            [".mp4"] = "video/mp4",
            [".3gp"] = "video/3gp",
            [".txt"] = "text/plain",
            [".pdf"] = "application/pdf",
            [".doc"] = "application/msword",
            [".xls"] = "application/vnd.ms-excel",
            [".ppt"] = "application/vnd.ms-powerpoint",
            [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            // Common files the contract accepts nowhere (or not for every kind): named so the error can say so.
            [".gif"] = "image/gif",
            [".bmp"] = "image/bmp",
            [".svg"] = "image/svg+xml",
            [".heic"] = "image/heic",
            [".mov"] = "video/quicktime",
            [".avi"] = "video/x-msvideo",
            [".mkv"] = "video/x-matroska",
            [".webm"] = "video/webm",
            [".mp3"] = "audio/mpeg",
            [".zip"] = "application/zip",
            [".csv"] = "text/csv",
        };

        /// <summary>
        /// The MIME type for <paramref name="url"/>: <paramref name="given"/> when set, else inferred from the
        /// URL path's extension. Throws when neither yields one of <paramref name="allowed"/>.
        /// </summary>
        public static string Resolve(string? url, string? given, IReadOnlyCollection<string> allowed, string field = "mime_type")
        {
            if (!string.IsNullOrWhiteSpace(given))
            {
                var mime = given!.Trim().ToLowerInvariant();
                Check.OneOf(mime, allowed, field);
                return mime;
            }
            string extension = ExtensionOf(url);
            if (extension.Length > 0 && ByExtension.TryGetValue(extension, out var inferred))
            {
                if (Contains(allowed, inferred)) return inferred;
                throw new SobotValidationException(field,
                    $"'{url}' is a {extension} file ({inferred}), which Sobot does not accept here; allowed types are {string.Join(", ", allowed)}. Naming another type in '{field}' cannot fix that: convert the file to an allowed type, or send it as another kind of message.");
            }
            throw new SobotValidationException(field,
                $"Cannot tell the media type of '{url}' from its extension ('{extension}'); allowed types are {string.Join(", ", allowed)}. Give the type in '{field}'.");
        }

        private static bool Contains(IReadOnlyCollection<string> allowed, string value)
        {
            foreach (var a in allowed) if (a == value) return true;
            return false;
        }

        private static string ExtensionOf(string? url)
        {
            if (string.IsNullOrEmpty(url)) return string.Empty;
            string path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url!;
            int slash = path.LastIndexOf('/');
            int dot = path.LastIndexOf('.');
            return dot > slash ? path.Substring(dot) : string.Empty;
        }
    }
}
