package main

import (
	"os"
	"time"
)

func main() {
	f, _ := os.Create("x.log")
	defer f.Close()
	done := make(chan struct{})
	go func() {
		time.Sleep(time.Second)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
	}
}
