package credential

import (
	"fmt"
	"testing"
)

// candidateParams are the argon2id settings weighed for DefaultParams: the
// OWASP Password Storage Cheat Sheet's equivalent options (m×t held roughly
// constant, one lane) and RFC 9106's two recommendations (§4).
var candidateParams = []struct {
	name string
	p    Params
}{
	{"owasp_m47104_t1", Params{Memory: 47104, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}},
	{"owasp_m19456_t2_default", DefaultParams},
	{"owasp_m12288_t3", Params{Memory: 12288, Iterations: 3, Parallelism: 1, SaltLength: 16, KeyLength: 32}},
	{"owasp_m9216_t4", Params{Memory: 9216, Iterations: 4, Parallelism: 1, SaltLength: 16, KeyLength: 32}},
	{"owasp_m7168_t5", Params{Memory: 7168, Iterations: 5, Parallelism: 1, SaltLength: 16, KeyLength: 32}},
	{"rfc9106_second_m65536_t3_p4", Params{Memory: 65536, Iterations: 3, Parallelism: 4, SaltLength: 16, KeyLength: 32}},
}

// BenchmarkArgon2idParameters measures one password verification (what every
// password sign-in pays) for each candidate. ms/op is one core's time; the
// sign-in target (≥ 28/s per core with the whole request around it) needs
// well under 35 ms.
func BenchmarkArgon2idParameters(b *testing.B) {
	for _, c := range candidateParams {
		b.Run(c.name, func(b *testing.B) {
			encoded, err := HashPasswordWith(c.p, "benchmark password")
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if ok, _ := VerifyPassword(encoded, "benchmark password"); !ok {
					b.Fatal("verification failed")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
			b.ReportMetric(float64(c.p.Memory)/1024, "MiB")
		})
	}
}

// BenchmarkVerifyPasswordParallel is password verification from every CPU at
// once, as under a burst of sign-ins: verifications/s is the machine's ceiling
// for password sign-ins with DefaultParams.
func BenchmarkVerifyPasswordParallel(b *testing.B) {
	encoded, err := HashPassword("benchmark password")
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, _ := VerifyPassword(encoded, "benchmark password"); !ok {
				panic(fmt.Sprint("verification failed"))
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
}
