module example.com/otelcol

go 1.21
