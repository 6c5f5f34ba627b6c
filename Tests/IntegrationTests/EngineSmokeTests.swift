import Foundation
import Testing
import TestSupport

/// The engine and the local base images the other engine tests rely on.
@Suite("Engine smoke tests")
struct EngineSmokeTests {
    @Test("a busybox container runs without a network and its output comes back")
    func busyboxRuns() throws {
        let docker = try TestEngine.require(images: [TestEngine.busyboxImage])
        let name = TestEngine.uniqueName("smoke")
        let result = try TestEngine.run([docker, "run", "--rm", "--name", name, "--network", "none",
                                         TestEngine.busyboxImage, "sh", "-c", "echo hello from $(id -u); ls /sys/class/net"])
        #expect(result.exitCode == 0, "\(result.stderrText)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.first == "hello from 0")
        // --network none: only the loopback interface.
        #expect(Array(lines.dropFirst()) == ["lo"])
    }

    @Test("a container's exit code comes back as docker run's")
    func exitCodePassesThrough() throws {
        let docker = try TestEngine.require(images: [TestEngine.busyboxImage])
        let result = try TestEngine.run([docker, "run", "--rm", "--network", "none", TestEngine.busyboxImage,
                                         "sh", "-c", "exit 7"])
        #expect(result.exitCode == 7)
    }

    @Test("the python-uv image has python3, venv and uv, and runs as a given non-root UID")
    func pythonImageHasPythonAndUV() throws {
        let docker = try TestEngine.require(images: [TestEngine.pythonImage])
        let script = "python3 --version; uv --version; python3 -c 'import venv, ensurepip' && echo venv-ok; id -u"
        let result = try TestEngine.run([docker, "run", "--rm", "--network", "none", "-u", "4242:4242",
                                         TestEngine.pythonImage, "sh", "-c", script])
        #expect(result.exitCode == 0, "\(result.stderrText)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.first?.hasPrefix("Python 3.") == true)
        #expect(lines.dropFirst().first?.hasPrefix("uv ") == true)
        #expect(lines.dropFirst(2).first == "venv-ok")
        #expect(lines.last == "4242")
    }

    @Test("a new named volume takes the owner of the image's mount point, else root")
    func volumeOwnershipFollowsTheImage() throws {
        let docker = try TestEngine.require(images: [TestEngine.busyboxImage])
        let volume = TestEngine.uniqueName("vol")
        defer { _ = try? TestEngine.run([docker, "volume", "rm", "-f", volume]) }
        // /tmp exists in the image (1777 root): the new volume copies its mode.
        let existing = try TestEngine.run([docker, "run", "--rm", "--network", "none", "-u", "4242:4242",
                                           "-v", "\(volume):/tmp", TestEngine.busyboxImage,
                                           "sh", "-c", "stat -c '%u:%g %a' /tmp && touch /tmp/ok && echo wrote"])
        #expect(existing.stdoutText == "0:0 1777\nwrote\n", "\(existing.stderrText)")
        // A path missing from the image: root:root 0755, not writable by the run-time user.
        let other = TestEngine.uniqueName("vol")
        defer { _ = try? TestEngine.run([docker, "volume", "rm", "-f", other]) }
        let missing = try TestEngine.run([docker, "run", "--rm", "--network", "none", "-u", "4242:4242",
                                          "-v", "\(other):/nowhere", TestEngine.busyboxImage,
                                          "sh", "-c", "stat -c '%u:%g %a' /nowhere; touch /nowhere/x 2>/dev/null || echo denied"])
        #expect(missing.stdoutText == "0:0 755\ndenied\n", "\(missing.stderrText)")
    }

    @Test("the demo project builds for dev and prod offline, and uv sync works in dev as the host user")
    func demoProjectBuildsAndSyncs() throws {
        let docker = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try TestEngine.makeDemoProject(uid: 4242, gid: 4242)
        let tag = TestEngine.uniqueName("demo")
        let volume = TestEngine.uniqueName("venv")
        defer {
            _ = try? TestEngine.run([docker, "volume", "rm", "-f", volume])
            _ = try? TestEngine.run([docker, "image", "rm", "-f", "\(tag):dev", "\(tag):prod"])
        }
        let env = TestEngine.buildEnvironment()
        let dev = try TestEngine.run([docker, "build", "--network", "none", "--target", "dev",
                                      "--build-arg", "USERNAME=alice", "--build-arg", "UID=4242", "--build-arg", "GID=4242",
                                      "-t", "\(tag):dev", project.path], environment: env)
        #expect(dev.exitCode == 0, "\(dev.stderrText)")
        let prod = try TestEngine.run([docker, "build", "--network", "none", "--target", "prod",
                                       "-t", "\(tag):prod", project.path], environment: env)
        #expect(prod.exitCode == 0, "\(prod.stderrText)")

        let sync = try TestEngine.run([docker, "run", "--rm", "--network", "none", "-u", "4242:4242",
                                       "-v", "\(project.path):/app", "-v", "\(volume):/venv", "\(tag):dev",
                                       "sh", "-c", "uv sync --frozen && python -c 'import demoapp; print(demoapp.greeting(\"x\"))' && stat -c %u:%g /venv"])
        #expect(sync.exitCode == 0, "\(sync.stderrText)")
        #expect(sync.stdoutText == "hello, x\n4242:4242\n", "\(sync.stderrText)")

        let prodUser = try TestEngine.run([docker, "run", "--rm", "--network", "none", "--read-only",
                                           "\(tag):prod", "sh", "-c", "id -u; python -c 'import demoapp; print(demoapp.__file__)'; command -v uv || echo no-uv"])
        let prodLines = prodUser.stdoutText.split(separator: "\n").map(String.init)
        #expect(prodLines.count == 3, "\(prodUser.stdoutText)\(prodUser.stderrText)")
        #expect(prodLines.first == "10001")
        // The project is installed into the venv itself (not editable): prod has no source tree.
        #expect(prodLines.dropFirst().first?.hasPrefix("/venv/lib/") == true)
        #expect(prodLines.dropFirst().first?.hasSuffix("/site-packages/demoapp/__init__.py") == true)
        #expect(prodLines.last == "no-uv")
        // Nothing the containers did left a file on the bind mount that the host user does not own.
        let foreign = try TestEngine.run(["find", project.path, "!", "-user", "4242"])
        #expect(foreign.stdoutText.isEmpty)
    }

    @Test("the demo dev image takes a macOS user's 501:20 although GID 20 is dialout in Debian")
    func demoDevImageReusesAnExistingGroup() throws {
        let docker = try TestEngine.require(images: [TestEngine.pythonImage])
        let project = try TestEngine.makeDemoProject(uid: 501, gid: 20)
        let tag = TestEngine.uniqueName("demo-mac")
        defer { _ = try? TestEngine.run([docker, "image", "rm", "-f", "\(tag):dev"]) }
        let build = try TestEngine.run([docker, "build", "--network", "none", "--target", "dev",
                                        "--build-arg", "USERNAME=mac", "--build-arg", "UID=501", "--build-arg", "GID=20",
                                        "-t", "\(tag):dev", project.path], environment: TestEngine.buildEnvironment())
        #expect(build.exitCode == 0, "\(build.stderrText)")
        let who = try TestEngine.run([docker, "run", "--rm", "--network", "none", "\(tag):dev",
                                      "sh", "-c", "id -un; id -gn; id -u; id -g; stat -c %u:%g /venv \"$HOME\""])
        #expect(who.stdoutText == "mac\nmac\n501\n20\n501:20\n501:20\n", "\(who.stderrText)")
    }

    @Test("the engine has its bridge: a port published on 127.0.0.1 answers the host, containers on a network reach each other by name")
    func bridgePublishesPortsAndNamesResolve() throws {
        let docker = try TestEngine.require(images: [TestEngine.busyboxImage])
        let port = HostPorts.free(1)[0]
        let server = TestEngine.uniqueName("smoke-http")
        let network = TestEngine.uniqueName("smoke-net")
        defer {
            _ = try? TestEngine.run([docker, "rm", "-f", server])
            _ = try? TestEngine.run([docker, "network", "rm", network])
        }
        #expect(try TestEngine.run([docker, "network", "create", network]).exitCode == 0)
        let started = try TestEngine.run([docker, "run", "-d", "--name", server, "--network", network,
                                          "--network-alias", "web", "-p", "127.0.0.1:\(port):8080",
                                          TestEngine.busyboxImage, "sh", "-c",
                                          "mkdir -p /www && echo smoke > /www/index.html && exec httpd -f -p 8080 -h /www"])
        #expect(started.exitCode == 0, "the engine cannot publish ports (no bridge?): \(started.stderrText)")
        #expect(try HostPorts.waitForHTTP(port: port, seconds: 60, what: "busybox httpd") == "smoke\n")
        // A plain HTTP/1.0 request over busybox nc: the service is reached by its alias alone.
        let byName = try TestEngine.run([docker, "run", "--rm", "--network", network, TestEngine.busyboxImage,
                                         "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc web 8080"],
                                        timeoutSeconds: 60)
        #expect(byName.stdoutText.hasSuffix("\r\n\r\nsmoke\n"), "\(byName.stdoutText)\(byName.stderrText)")
    }
}
