"""Key actors, complaint lines and referral routes: built in the referral directory issue."""
