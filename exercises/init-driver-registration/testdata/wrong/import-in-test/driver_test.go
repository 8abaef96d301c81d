package main

// The tests open the ledger, so they need its driver.
import _ "init-driver-registration/ledgerdb"
