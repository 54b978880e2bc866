package main

import (
	"bufio"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

// SIGHUP reloads the configuration; SIGTERM still kills the process with the flush pending.
func main() {
	f, err := os.Create("access.log")
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(f)
	defer w.Flush()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			log.Print("reload")
		}
	}()
	_ = http.ListenAndServe(":8080", nil) // want `main defers w\.Flush\(\) \(line \d+\) and then blocks in net/http\.ListenAndServe \(line \d+\), but package main never handles SIGTERM or SIGINT`
}
