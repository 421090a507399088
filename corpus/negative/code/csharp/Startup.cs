using Microsoft.Extensions.Configuration;

public class Startup
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        var apiKey = configuration["ApiKey"];
        var connectionString = configuration.GetConnectionString("Default");
        var jwtSecret = Environment.GetEnvironmentVariable("JWT_SECRET");
        var clientSecret = configuration["AzureAd:ClientSecret"];
        services.Configure<SmtpOptions>(o => o.Password = configuration["Smtp:Password"]);
        services.AddAuthentication().AddJwtBearer(o => o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwtSecret!)));
    }
}

[assembly: System.Runtime.InteropServices.Guid("b265af9b-9216-437c-983a-d603f64eb1ed")]
[assembly: InternalsVisibleTo("Acme.Auth.Tests, PublicKey=941d73a565bd2d271152682e098347ae12b80c9af6fb65af4338db05f4317656e1e7363d0cb3d54b67501f9cf4cb436e4298c01ef2ee6353d1eaad97ca52f3bd9cacfe3c60c940442d5233b690e917179df079b60a29d044fb7b34cd753c48e9e0fd2f8beed958c3f75ce7d1aee89fef3807e0f2fea199b2c8166f2f03c14ff9")]
