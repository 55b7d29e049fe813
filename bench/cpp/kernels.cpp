// Hand-written C++ versions of the kernels in bench/kernels.py, the
// "native" baseline for the shoal benchmark (bench/run.py).
//
// Build: g++ -O2 -std=c++20 -o kernels kernels.cpp   (bench/run.py does it)
//
// Usage: kernels [--repeat R] NAME SIZE [NAME SIZE ...]
//        kernels --list
//
// For every NAME SIZE pair it runs the kernel R times (default 3) and prints
// one JSON line
//     {"kernel": "NAME", "size": SIZE, "seconds": BEST, "result": VALUE}
// where BEST is the fastest of the R runs, timed with std::chrono around the
// computation only.  Floating-point operations are written in the same order
// as the Python kernels so that results agree with CPython (to the last bit in
// practice; the runner allows 1e-9 relative).

#include <array>
#include <chrono>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <variant>

namespace {

// Keep the optimiser from hoisting, sinking or deleting the timed work
// (same trick as google-benchmark's DoNotOptimize).
template <class T>
inline void opaque(T& value) {
    asm volatile("" : "+r,m"(value) : : "memory");
}

// ---------------------------------------------------------------------------

int64_t sum_squares(int64_t n) {
    int64_t total = 0;
    for (int64_t i = 0; i < n; ++i) total += i * i;
    return total;
}

// The Python version is a generator expression; in C++ it is the same loop.
int64_t sum_squares_gen(int64_t n) {
    int64_t total = 0;
    for (int64_t i = 0; i < n; ++i) total += i * i;
    return total;
}

double pairwise(int64_t n) {
    double total = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        const double xi = static_cast<double>(i * 37 % 101) / 10.0;
        const double yi = static_cast<double>(i * 91 % 103) / 10.0;
        for (int64_t j = i + 1; j < n; ++j) {
            const double dx = xi - static_cast<double>(j * 37 % 101) / 10.0;
            const double dy = yi - static_cast<double>(j * 91 % 103) / 10.0;
            total += std::sqrt(dx * dx + dy * dy);
        }
    }
    return total;
}

int64_t fib(int64_t n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
}

double monte_carlo_pi(int64_t n) {
    int64_t state = 42;
    int64_t inside = 0;
    for (int64_t s = 0; s < n; ++s) {
        state = (state * 1103515245 + 12345) % 2147483648;
        const double x = static_cast<double>(state) / 2147483648.0;
        state = (state * 1103515245 + 12345) % 2147483648;
        const double y = static_cast<double>(state) / 2147483648.0;
        if (x * x + y * y <= 1.0) ++inside;
    }
    return 4.0 * static_cast<double>(inside) / static_cast<double>(n);
}

int64_t count_primes(int64_t n) {
    int64_t count = 0;
    for (int64_t k = 2; k < n; ++k) {
        int64_t d = 2;
        while (d * d <= k && k % d != 0) ++d;
        if (d * d > k) ++count;
    }
    return count;
}

// --- n-body (benchmarks game) ----------------------------------------------

struct Body {
    double x, y, z, vx, vy, vz, mass;
};

constexpr double kPi = 3.14159265358979323;
constexpr double kSolarMass = 4.0 * kPi * kPi;
constexpr double kDaysPerYear = 365.24;

std::array<Body, 5> initial_bodies() {
    const double sm = kSolarMass, dpy = kDaysPerYear;
    return {{
        {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, sm},
        {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03 * dpy, 7.69901118419740425e-03 * dpy,
         -6.90460016972063023e-05 * dpy, 9.54791938424326609e-04 * sm},
        {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03 * dpy, 4.99852801234917238e-03 * dpy,
         2.30417297573763929e-05 * dpy, 2.85885980666130812e-04 * sm},
        {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03 * dpy, 2.37847173959480950e-03 * dpy,
         -2.96589568540237556e-05 * dpy, 4.36624404335156298e-05 * sm},
        {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03 * dpy, 1.62824170038242295e-03 * dpy,
         -9.51592254519715870e-05 * dpy, 5.15138902046611451e-05 * sm},
    }};
}

void offset_momentum(std::array<Body, 5>& bodies) {
    double px = 0.0, py = 0.0, pz = 0.0;
    for (const Body& b : bodies) {
        px += b.vx * b.mass;
        py += b.vy * b.mass;
        pz += b.vz * b.mass;
    }
    Body& sun = bodies[0];
    sun.vx = -px / sun.mass;
    sun.vy = -py / sun.mass;
    sun.vz = -pz / sun.mass;
}

void advance(std::array<Body, 5>& bodies, double dt) {
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        Body& a = bodies[i];
        for (std::size_t j = i + 1; j < bodies.size(); ++j) {
            Body& b = bodies[j];
            const double dx = a.x - b.x;
            const double dy = a.y - b.y;
            const double dz = a.z - b.z;
            const double d2 = dx * dx + dy * dy + dz * dz;
            const double mag = dt / (d2 * std::sqrt(d2));
            const double bmm = b.mass * mag;
            const double amm = a.mass * mag;
            a.vx -= dx * bmm;
            a.vy -= dy * bmm;
            a.vz -= dz * bmm;
            b.vx += dx * amm;
            b.vy += dy * amm;
            b.vz += dz * amm;
        }
    }
    for (Body& b : bodies) {
        b.x += dt * b.vx;
        b.y += dt * b.vy;
        b.z += dt * b.vz;
    }
}

double energy(const std::array<Body, 5>& bodies) {
    double e = 0.0;
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        const Body& a = bodies[i];
        e += 0.5 * a.mass * (a.vx * a.vx + a.vy * a.vy + a.vz * a.vz);
        for (std::size_t j = i + 1; j < bodies.size(); ++j) {
            const Body& b = bodies[j];
            const double dx = a.x - b.x;
            const double dy = a.y - b.y;
            const double dz = a.z - b.z;
            e -= a.mass * b.mass / std::sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

double nbody(int64_t steps) {
    std::array<Body, 5> bodies = initial_bodies();
    offset_momentum(bodies);
    for (int64_t s = 0; s < steps; ++s) advance(bodies, 0.01);
    return energy(bodies);
}

// --- Mandelbrot ---------------------------------------------------------------

int64_t mandelbrot(int64_t size) {
    int64_t total = 0;
    for (int64_t py = 0; py < size; ++py) {
        const double y0 = -1.25 + 2.5 * static_cast<double>(py) / static_cast<double>(size);
        for (int64_t px = 0; px < size; ++px) {
            const double x0 = -2.0 + 2.5 * static_cast<double>(px) / static_cast<double>(size);
            double x = 0.0, y = 0.0;
            int64_t it = 0;
            while (it < 50 && x * x + y * y <= 4.0) {
                const double xt = x * x - y * y + x0;
                y = 2.0 * x * y + y0;
                x = xt;
                ++it;
            }
            total += it;
        }
    }
    return total;
}

// ---------------------------------------------------------------------------

using Result = std::variant<int64_t, double>;
using KernelFn = Result (*)(int64_t);

struct Kernel {
    std::string_view name;
    KernelFn fn;
};

template <auto F>
Result wrap(int64_t n) {
    return Result{F(n)};
}

constexpr Kernel kKernels[] = {
    {"sum_squares", wrap<sum_squares>},
    {"sum_squares_gen", wrap<sum_squares_gen>},
    {"pairwise", wrap<pairwise>},
    {"fib", wrap<fib>},
    {"monte_carlo_pi", wrap<monte_carlo_pi>},
    {"count_primes", wrap<count_primes>},
    {"nbody", wrap<nbody>},
    {"mandelbrot", wrap<mandelbrot>},
};

const Kernel* find_kernel(std::string_view name) {
    for (const Kernel& k : kKernels)
        if (k.name == name) return &k;
    return nullptr;
}

std::string format_result(const Result& r) {
    char buf[64];
    if (const int64_t* i = std::get_if<int64_t>(&r)) {
        std::snprintf(buf, sizeof buf, "%" PRId64, *i);
        return buf;
    }
    const double d = std::get<double>(r);
    if (!std::isfinite(d)) return "null";
    std::snprintf(buf, sizeof buf, "%.17g", d);
    std::string s = buf;
    // make sure JSON readers see a float, not an int
    if (s.find_first_of(".eE") == std::string::npos) s += ".0";
    return s;
}

bool parse_int(const char* text, int64_t& out) {
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0') return false;
    out = v;
    return true;
}

int usage() {
    std::fprintf(stderr, "usage: kernels [--repeat R] NAME SIZE [NAME SIZE ...]\n"
                         "       kernels --list\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    int64_t repeat = 3;
    int argi = 1;
    if (argi < argc && std::strcmp(argv[argi], "--list") == 0) {
        for (const Kernel& k : kKernels) std::printf("%.*s\n", int(k.name.size()), k.name.data());
        return 0;
    }
    if (argi < argc && std::strcmp(argv[argi], "--repeat") == 0) {
        if (argi + 1 >= argc || !parse_int(argv[argi + 1], repeat) || repeat < 1) return usage();
        argi += 2;
    }
    if (argi >= argc || (argc - argi) % 2 != 0) return usage();

    for (; argi < argc; argi += 2) {
        const Kernel* kernel = find_kernel(argv[argi]);
        int64_t size = 0;
        if (kernel == nullptr) {
            std::fprintf(stderr, "unknown kernel: %s\n", argv[argi]);
            return 2;
        }
        if (!parse_int(argv[argi + 1], size)) {
            std::fprintf(stderr, "bad size: %s\n", argv[argi + 1]);
            return 2;
        }
        double best = std::numeric_limits<double>::infinity();
        Result result{};
        for (int64_t r = 0; r < repeat; ++r) {
            int64_t n = size;
            const auto t0 = std::chrono::steady_clock::now();
            opaque(n);
            Result value = kernel->fn(n);
            opaque(value);
            const auto t1 = std::chrono::steady_clock::now();
            const double seconds = std::chrono::duration<double>(t1 - t0).count();
            if (seconds < best) best = seconds;
            result = value;
        }
        std::printf("{\"kernel\": \"%s\", \"size\": %" PRId64 ", \"seconds\": %.9g, \"result\": %s}\n",
                    argv[argi], size, best, format_result(result).c_str());
        std::fflush(stdout);
    }
    return 0;
}
