<?php
class JConfig {
	public $offline = false;
	public $dbtype = 'mysqli';
	public $host = 'localhost';
	public $user = 'joomla';
	public $password = 'j00mla-db';
	public $db = 'joomla';
	public $secret = 'Fq8Lz2Xw7Kp3Nm9R';
}
