<?php
$cfg['blowfish_secret'] = 'a8Kq2Lm9Zx3Cv7Bn1Mj5Hg4Fd6Sa0Qw';
$i = 0;
$i++;
$cfg['Servers'][$i]['auth_type'] = 'config';
$cfg['Servers'][$i]['host'] = 'localhost';
$cfg['Servers'][$i]['user'] = 'root';
$cfg['Servers'][$i]['password'] = 'Acacia12';
