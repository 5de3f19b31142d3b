using Sobot.Client.Models.Requests;

namespace Sobot.Client.Tests;

/// <summary>The contract marks name required on customer update as on add: the client refuses an update without it.</summary>
public class CustomerUpdateTests
{
    private const string Number = "919970585556";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void An_update_without_a_name_is_refused_naming_the_field(string? name)
    {
        var ex = Assert.Throws<SobotValidationException>(() => new CustomerRequest { Name = name, Labels = ["vip"] }.Validate(adding: false));
        Assert.Equal("name", ex.Field);
        Assert.Contains("'name' is required on an update", ex.Message);
    }

    [Fact]
    public void An_update_with_a_name_passes_and_its_limit_still_holds()
    {
        new CustomerRequest { Name = "Asha Patil" }.Validate(adding: false);
        Assert.Equal("name", Assert.Throws<SobotValidationException>(() => new CustomerRequest { Name = new string('n', 101) }.Validate(adding: false)).Field);
    }

    [Fact]
    public async Task The_client_sends_nothing_for_an_update_without_a_name()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        await client.AddCustomerAsync(new CustomerRequest { Mobile = Number, Name = "Asha", Labels = ["old"] });

        await Assert.ThrowsAsync<SobotValidationException>(() => client.UpdateCustomerAsync(Number, new CustomerRequest { Labels = ["new"] }));

        Assert.DoesNotContain(emulator.State.Requests, r => r.Method == "PUT");
        Assert.Equal(["old"], emulator.State.FindCustomer(Number)!.Labels);
    }

    [Fact]
    public async Task An_update_carries_the_name_and_the_emulator_accepts_it()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        await client.AddCustomerAsync(new CustomerRequest { Mobile = Number, Name = "Asha" });
        var request = new CustomerRequest { Name = "Asha Patil", Labels = ["new"] };

        var response = await client.UpdateCustomerAsync(Number, request);

        Assert.Equal("Customer updated successfully", response.Message);
        Assert.Equal("""{"name":"Asha Patil","labels":["new"]}""", SobotJson.Serialize(request));
        var stored = emulator.State.FindCustomer(Number)!;
        Assert.Equal(("Asha Patil", "new"), (stored.Name, stored.Labels.Single()));
    }
}
