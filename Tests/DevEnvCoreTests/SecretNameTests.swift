@testable import DevEnvCore
import Testing

@Suite struct SecretNameTests {
    @Test func namesThatLookSecret() {
        for name in ["API_TOKEN", "token", "GitHubToken", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD", "passwd", "SIGNING_KEY",
                     "_key", "SECRET", "MY_PASSWD_FILE"] {
            #expect(SecretName.looksSecret(name), "\(name)")
        }
        for name in ["", "KEY", "KEYBOARD", "TOKE", "SECRE", "PASS_WORD", "LOG_LEVEL", "DEBUG", "KEY_ID", "MONKEY", "é_TOKEN_"] {
            #expect(SecretName.looksSecret(name) == (name == "é_TOKEN_"), "\(name)")
        }
    }
}
