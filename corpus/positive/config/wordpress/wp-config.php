<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'Sequoia4' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );

define('AUTH_KEY',         'T~0{v5s-%pq]|3;Rr9LmKj8');
define('SECURE_AUTH_KEY',  'b7#Qx9!zL2@pW4$kR6mN');
define('NONCE_SALT',       'Zp4%rT8&yU2*iO6(pA0)');

$table_prefix = 'wp_';
