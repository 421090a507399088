<?php
return [
    'db_password' => getenv('DB_PASSWORD'),
    'api_key' => $_ENV['API_KEY'] ?? '',
    'secret' => env('APP_SECRET'),
    'stripe' => ['secret' => env('STRIPE_SECRET', null)],
    'mail' => ['password' => $_SERVER['MAIL_PASSWORD'] ?? null],
];

function hash_user_password(string $password): string {
    return password_hash($password, PASSWORD_ARGON2ID);
}

$token = $request->bearerToken();
$apiKey = $request->header('X-API-Key');
if (!password_verify($_POST['password'], $user->password_hash)) {
    throw new AuthenticationException('Invalid password');
}
