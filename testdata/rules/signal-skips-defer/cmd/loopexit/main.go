package main

import (
	"os"
	"time"
)

func done() bool { _, err := os.Stat("/tmp/stop"); return err == nil }

func main() {
	f, _ := os.Create("x.log")
	defer f.Close()
	for {
		if done() {
			break
		}
		time.Sleep(time.Second)
	}
}
