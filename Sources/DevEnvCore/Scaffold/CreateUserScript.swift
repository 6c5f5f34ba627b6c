/// docker/create-user.sh, which the dev, ci and prod stages run through a build-time bind
/// mount (so the script itself is in no image). It makes USERNAME own UID and GID, reusing or
/// renaming an entry the base image already has with either id: ubuntu:24.04 ships `ubuntu` as
/// 1000:1000 and a macOS user's GID 20 is `dialout` in Debian, and a plain `useradd -u` would
/// fail the build on either (DESIGN.md section 4).
public enum CreateUserScript {
    public static let path = "docker/create-user.sh"

    public static let text = """
        #!/bin/sh
        # create-user.sh USERNAME UID GID HOME (written by `devenv init`): makes USERNAME own UID
        # and GID, reusing or renaming a user or group the base image already has with either id,
        # so that a taken id (ubuntu's 1000, a Mac's GID 20 = dialout) never breaks the build.
        set -eu
        user=$1 uid=$2 gid=$3 home=$4
        if [ "$uid" = 0 ] || [ "$gid" = 0 ]; then
          echo "create-user.sh: refusing to make $user root (UID/GID 0)" >&2
          exit 1
        fi
        if group=$(getent group "$gid" | cut -d: -f1) && [ -n "$group" ]; then
          # The GID exists: give it the user's name unless that name is taken by another group.
          if [ "$group" != "$user" ] && ! getent group "$user" >/dev/null; then groupmod -n "$user" "$group"; fi
        elif getent group "$user" >/dev/null; then
          groupmod -g "$gid" "$user"
        else
          groupadd -g "$gid" "$user"
        fi
        if old=$(getent passwd "$uid" | cut -d: -f1) && [ -n "$old" ]; then
          # The UID exists: rename that user (or keep its name when USERNAME is taken).
          if [ "$old" != "$user" ] && ! getent passwd "$user" >/dev/null; then
            usermod -l "$user" -d "$home" -g "$gid" "$old"
          else
            usermod -d "$home" -g "$gid" "$old"
          fi
        elif getent passwd "$user" >/dev/null; then
          usermod -u "$uid" -g "$gid" -d "$home" "$user"
        else
          useradd --no-create-home --no-log-init -d "$home" -u "$uid" -g "$gid" -s /bin/sh "$user"
        fi
        mkdir -p "$home"
        chown "$uid:$gid" "$home"

        """
}
