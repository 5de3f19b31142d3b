using System.Management.Automation;

namespace SobotPS.InProcess.Tests;

/// <summary>
/// The error records a script tests for bad input, refused before anything is sent: no server runs here. Each names
/// its ErrorId, category and target, and none carries a key.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class ErrorRecordTests : IDisposable
{
    private const string Secret = "sk-inprocess-secret-4242";
    private readonly ModuleRunspace _ps = new();

    public void Dispose() => _ps.Dispose();

    private static Dictionary<string, object?> Keys() => new() { ["secret"] = Secret };

    private static void AssertNoSecret(ErrorRecord e) =>
        Assert.DoesNotContain(Secret, $"{e.Exception} {e.ErrorDetails} {e.TargetObject} {e.CategoryInfo}");

    [Fact]
    public void Plain_http_to_another_host_is_refused_as_a_security_error_before_the_keys_are_sent()
    {
        var e = _ps.Run("Connect-Sobot -AccessKey ak-inprocess -SecretKey (ConvertTo-SecureString $secret -AsPlainText -Force) -BaseUri 'http://sobot.example/api/'", Keys()).SingleError();
        Assert.Equal("SobotInsecureBaseUri,SobotPS.Commands.ConnectSobotCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, e.CategoryInfo.Category);
        Assert.Equal("http://sobot.example/api/", e.TargetObject?.ToString());
        AssertNoSecret(e);
    }

    [Fact]
    public void An_unknown_default_region_is_an_invalid_argument_naming_the_region()
    {
        // Refused before the keys are checked: the loopback address has nothing listening and is never reached.
        var e = _ps.Run("Connect-Sobot -AccessKey ak-inprocess -SecretKey (ConvertTo-SecureString $secret -AsPlainText -Force) -BaseUri 'http://127.0.0.1:9/' -DefaultRegion QQ", Keys()).SingleError();
        Assert.Equal("SobotInvalidRegion,SobotPS.Commands.ConnectSobotCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.Equal("QQ", e.TargetObject);
        AssertNoSecret(e);
    }

    [Fact]
    public void Connect_without_keys_names_the_environment_variables_to_set()
    {
        var saved = (Environment.GetEnvironmentVariable("SOBOT_ACCESS_KEY"), Environment.GetEnvironmentVariable("SOBOT_SECRET_KEY"));
        Environment.SetEnvironmentVariable("SOBOT_ACCESS_KEY", null);
        Environment.SetEnvironmentVariable("SOBOT_SECRET_KEY", null);
        try
        {
            var e = _ps.Run("Connect-Sobot -BaseUri 'http://127.0.0.1:9/'").SingleError();
            Assert.Equal("SobotMissingKeys,SobotPS.Commands.ConnectSobotCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, e.CategoryInfo.Category);
            Assert.Contains("SOBOT_ACCESS_KEY", e.Exception.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOBOT_ACCESS_KEY", saved.Item1);
            Environment.SetEnvironmentVariable("SOBOT_SECRET_KEY", saved.Item2);
        }
    }

    [Theory]
    [InlineData("Send-SobotTextMessage -CustomerNumber 919970585556 -Message hi", "SobotNotConnected,SobotPS.Commands.SendSobotTextMessageCommand", "Run Connect-Sobot first")]
    [InlineData("Get-SobotTemplate", "SobotNotConnected,SobotPS.Commands.GetSobotTemplateCommand", "Run Connect-Sobot first")]
    // A listening cmdlet names what it lacks, a receiver, and how to connect one.
    [InlineData("Get-SobotEvent", "SobotNoReceiver,SobotPS.Commands.GetSobotEventCommand", "Connect-Sobot -Receiver")]
    [InlineData("Wait-SobotDelivery -MessageId wamid.X", "SobotNoReceiver,SobotPS.Commands.WaitSobotDeliveryCommand", "Connect-Sobot -Receiver")]
    public void A_cmdlet_run_before_Connect_Sobot_says_what_to_connect(string script, string errorId, string advice)
    {
        var e = _ps.Run(script).SingleError();
        Assert.Equal(errorId, e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category);
        Assert.Null(e.TargetObject);
        Assert.Contains(advice, e.Exception.Message);
    }

    [Fact]
    public void Text_that_is_not_a_webhook_body_is_invalid_data_and_the_target_is_the_text()
    {
        var r = _ps.Run("ConvertFrom-SobotWebhook -Json '<html>oops'; ConvertFrom-SobotWebhook -Json ('x' * 300)");
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.Errors, e =>
        {
            Assert.Equal("InvalidInput,SobotPS.Commands.ConvertFromSobotWebhookCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
        });
        Assert.Equal("<html>oops", r.Errors[0].TargetObject);
        // A long body is cut in the target: an error record is printed, and a webhook body can be large.
        Assert.Equal(new string('x', 200) + "...", r.Errors[1].TargetObject);
    }

    [Fact]
    public void A_store_folder_without_a_receiver_is_not_found_and_names_the_path()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sobot-inprocess-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var e = _ps.Run("Get-SobotReceiver -Path $p", new Dictionary<string, object?> { ["p"] = dir }).SingleError();
            Assert.Equal("SobotReceiverNotFound,SobotPS.Commands.GetSobotReceiverCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
            Assert.Contains(dir, e.TargetObject?.ToString());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
