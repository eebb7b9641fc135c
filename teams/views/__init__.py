"""The teams app's pages: teams and their people, the ledger, and the applications."""
