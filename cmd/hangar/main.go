// Command hangar runs private Fly.io-style apps on one machine.
package main

import (
	"os"

	"github.com/hangarhq/hangar/pkg/hangarcmd"
)

func main() { os.Exit(hangarcmd.Main(os.Args[1:])) }
