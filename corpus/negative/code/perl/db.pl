#!/usr/bin/env perl
use strict;
use warnings;
use DBI;
use Term::ReadKey;

my $user = $ENV{DB_USER} // 'app';
my $password = $ENV{DB_PASSWORD};
unless (defined $password) {
    print "Password: ";
    ReadMode('noecho');
    chomp($password = <STDIN>);
    ReadMode('restore');
}
my $dbh = DBI->connect("dbi:Pg:dbname=app;host=db.internal", $user, $password, { RaiseError => 1 });
my $token_sth = $dbh->prepare("SELECT token_hash FROM api_tokens WHERE id = ?");
