package main

import "github.com/hangarhq/hangar/bench/benchenv"

// app is the measured app (see benchenv.App).
type app = benchenv.App

func newApp(bin, image string) (*app, error) { return benchenv.DeployApp(bin, image, "wakebench") }
