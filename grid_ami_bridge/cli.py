"""The `grid-ami-bridge` command."""

import argparse
import asyncio
import json
import logging
import signal
import sys

from . import __version__
from .bridge import Bridge
from .config import ConfigError, load_config
from .protocol import AmiMessage, AmiParser

_logger = logging.getLogger("grid_ami_bridge")


def read_recorded_events(path: str, fallback_encoding: str) -> list[AmiMessage]:
    """The AMI events of a recording: a JSON list of objects, or raw AMI text
    such as the output of `manager set debug on` (CLI lines are skipped)."""
    with open(path, "rb") as stream:
        data = stream.read()
    if data.lstrip().startswith(b"["):
        return [
            AmiMessage({key: str(value) for key, value in item.items()})
            for item in json.loads(data)
            if isinstance(item, dict)
        ]
    parser = AmiParser(fallback_encoding)
    messages = parser.feed(data)
    parser.close()
    return [message for message in messages if message.is_event]


async def _replay(bridge: Bridge, path: str) -> int:
    for message in read_recorded_events(path, bridge.config.ami.fallback_encoding):
        bridge.handle_event(message)
    _logger.info("Replayed %s; delivering %s events", path, len(bridge.spool))
    delivery = asyncio.create_task(bridge._deliver_forever())
    while len(bridge.spool):
        await asyncio.sleep(0.2)
    bridge.stop()
    await asyncio.gather(delivery, return_exceptions=True)
    return 0


async def _serve(bridge: Bridge) -> int:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, bridge.stop)
    await bridge.run()
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="grid-ami-bridge",
        description="Follow calls on Asterisk's AMI and post them to the "
        "telephony webhook of Grid Contact Center.",
    )
    parser.add_argument(
        "-c",
        "--config",
        default="/etc/grid-ami-bridge.conf",
        help="INI configuration file (default: %(default)s)",
    )
    parser.add_argument(
        "--check", action="store_true", help="validate the configuration and exit"
    )
    parser.add_argument(
        "--replay",
        metavar="FILE",
        help="instead of connecting to AMI, feed the events recorded in FILE "
        "(JSON list or AMI debug output) and exit once they are delivered",
    )
    parser.add_argument("--version", action="version", version=__version__)
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(f"grid-ami-bridge: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=getattr(logging, config.log_level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.check:
        print(f"{args.config}: configuration is valid")
        return 0
    bridge = Bridge(config)
    try:
        if args.replay:
            return asyncio.run(_replay(bridge, args.replay))
        return asyncio.run(_serve(bridge))
    except KeyboardInterrupt:
        return 130
