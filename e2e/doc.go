// Package e2e runs the real hangar binary the way a user does: the seed walkthrough, prompts at a terminal, and many CLIs at once.
package e2e
