<?php
return [
    'db' => [
        'password' => env('DB_PASSWORD'),
        'username' => env('DB_USERNAME', 'forge'),
    ],
    'password_timeout' => 10800,
    'secret' => $_ENV['APP_SECRET'] ?? '',
];
