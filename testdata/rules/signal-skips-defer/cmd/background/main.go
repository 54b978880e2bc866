package main

import (
	"net/http"
	"os"
)

func main() {
	f, _ := os.Create("x.log")
	defer f.Close()
	go http.ListenAndServe(":8080", nil)
	_, _ = f.WriteString("started\n")
}
