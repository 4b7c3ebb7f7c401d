using Quiz.Gateway;

var app = GatewayApp.Build(GatewayApp.CreateBuilder(args));
app.Run();
