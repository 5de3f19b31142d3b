using System.Globalization;
using System.Text.Json.Nodes;

namespace Sobot.Emulator;

/// <summary><c>/api/customer</c>: add, update by number (labels replaced), list 20 per page.</summary>
public static class CustomerEndpoints
{
    private static readonly string[] Fields =
    [
        "mobile", "name", "email", "gender", "date_of_birth", "facebook_profile", "linkedin_profile",
        "twitter_profile", "extra_fields", "labels",
    ];

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/api/customer", Add);
        api.MapPut("/api/customer/{mobile}", Update);
        api.MapGet("/api/customer", List);
    }

    private static IResult List(HttpRequest request, EmulatorState state)
    {
        var items = state.Customers.Select(c =>
        {
            int space = c.Name.IndexOf(' ');
            return new
            {
                id = c.Id,
                name = c.Name,
                first_name = space < 0 ? c.Name : c.Name[..space],
                last_name = space < 0 ? "" : c.Name[(space + 1)..],
                mobile = c.Mobile,
            };
        }).ToList();
        return EmulatorJson.Page(request, items, EmulatorJson.PageNumber(request), p => $"page={p}");
    }

    private static async Task<IResult> Add(HttpRequest request, EmulatorState state)
    {
        var b = await StrictBody.ReadAsync(request);
        b.AllowOnly(Fields);
        var mobile = b.Optional("mobile");
        if (!StrictBody.IsMobile(mobile)) return EmulatorJson.Message("Invalid mobile number", 400);
        var customer = new CustomerItem { Mobile = mobile!, Name = b.Required("name", 100) };
        Apply(b, customer);
        return state.TryAddCustomer(customer)
            ? EmulatorJson.Message("Customer added successfully", 201)
            : EmulatorJson.Message("Customer already exists", 400);
    }

    /// <summary>The contract marks <c>name</c> required for update as for add, so an update without it is a 400.</summary>
    private static async Task<IResult> Update(string mobile, HttpRequest request, EmulatorState state)
    {
        if (!StrictBody.IsMobile(mobile)) return EmulatorJson.Message("Invalid mobile number", 400);
        var b = await StrictBody.ReadAsync(request);
        b.AllowOnly(Fields);
        if (b.Has("mobile") && b.Optional("mobile") != mobile) throw new BadRequestException("Field 'mobile' differs from the number in the path.");
        var name = b.Required("name", 100);
        Apply(b, new CustomerItem()); // validate fully before changing anything
        bool found = state.TryUpdateCustomer(mobile, c =>
        {
            c.Name = name;
            Apply(b, c);
        });
        return found
            ? EmulatorJson.Message("Customer updated successfully", 201)
            : EmulatorJson.Message("Customer not found", 404);
    }

    private static void Apply(StrictBody b, CustomerItem c)
    {
        if (b.Optional("email") is { } email)
        {
            if (!email.Contains('@')) throw new BadRequestException("Field 'email' is not an email address.");
            c.Email = email;
        }
        if (b.Has("gender")) c.Gender = b.OneOf("gender", "Male", "Female");
        if (b.Optional("date_of_birth") is { } dob)
        {
            if (!DateTime.TryParseExact(dob, "dd-MM-yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                throw new BadRequestException("Field 'date_of_birth' must be DD-MM-YYYY.");
            c.DateOfBirth = dob;
        }
        c.FacebookProfile = b.Optional("facebook_profile") ?? c.FacebookProfile;
        c.LinkedinProfile = b.Optional("linkedin_profile") ?? c.LinkedinProfile;
        c.TwitterProfile = b.Optional("twitter_profile") ?? c.TwitterProfile;
        if (b.Has("extra_fields"))
        {
            var extra = b.Object("extra_fields").Json;
            foreach (var (key, _) in extra)
                if (key.Contains(' ')) throw new BadRequestException($"extra_fields key '{key}' contains a space; use '_'.");
            c.ExtraFields = (JsonObject)extra.DeepClone();
        }
        if (b.Has("labels"))
            c.Labels = b.Array("labels", 0, 1000).Select(n => n is JsonValue v && v.TryGetValue(out string? s) ? s
                : throw new BadRequestException("Field 'labels' must be an array of strings.")).ToList();
    }
}
