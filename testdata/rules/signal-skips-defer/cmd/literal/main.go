package main

import (
	"net/http"
	"os"
)

func main() {
	setup := func() {
		f, _ := os.Create("x.log")
		defer f.Close()
		_, _ = f.WriteString("ok\n")
	}
	setup()
	_ = http.ListenAndServe(":8080", nil)
}
