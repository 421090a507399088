<?php
$databases['default']['default'] = [
  'database' => 'drupal',
  'username' => 'drupal',
  'password' => 'Elm5tree',
  'host' => 'localhost',
  'driver' => 'mysql',
];
$settings['hash_salt'] = 'Xk2Lm9Qp4Rs7Tu1Vw3Yz5Ab7Cd9';
