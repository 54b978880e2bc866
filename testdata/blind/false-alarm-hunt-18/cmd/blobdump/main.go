// Command blobdump prints the records of a record file.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"unicode/utf8"

	"example.com/fah18/recordio"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("blobdump: ")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: blobdump [-cpuprofile file] file.rec")
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	recs, err := recordio.ReadFile(flag.Arg(0))
	if err != nil {
		log.Fatal(err) // HAZ exit-skips-defer
	}
	if err := dump(os.Stdout, recs); err != nil {
		log.Print(err)
	}
}

// dump prints one line per record, quoting values that are not text.
func dump(f *os.File, recs []recordio.Record) error {
	bw := bufio.NewWriter(f)
	for _, r := range recs {
		if utf8.Valid(r.Value) {
			fmt.Fprintf(bw, "%s\t%s\n", r.Key, r.Value)
		} else {
			fmt.Fprintf(bw, "%s\t%q\n", r.Key, r.Value)
		}
	}
	return bw.Flush()
}
