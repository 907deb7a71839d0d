"""Generated identities: serial numbers, MAC addresses, IMEIs, SIM cards and ports.

Everything is drawn from the gateway's seedable :class:`random.Random`, in a
fixed order, so the same seed always builds the same gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
import hashlib
from typing import TYPE_CHECKING, Final

from .model import VALIDITY_DAYS, Credit, ModuleType, RegState, SimCard, SimPort

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    import random

DINSTAR_OUI: Final = "F8-A0-3D"


@dataclass(frozen=True, slots=True)
class Operator:
    """A mobile network operator: the SIM data generator draws from these."""

    name: str
    mcc: str
    mnc: str
    smsc: str


OPERATORS: tuple[Operator, ...] = (
    Operator("Vodafone UK", "234", "15", "+447785016005"),
    Operator("O2 UK", "234", "10", "+447802000332"),
    Operator("EE", "234", "30", "+447958879879"),
    Operator("Three UK", "234", "20", "+447782000800"),
)

# Type allocation codes (first 8 IMEI digits) of modules, per technology.
_TACS: dict[ModuleType, str] = {
    ModuleType.GSM: "35896704",
    ModuleType.LTE: "86307001",
}


def luhn_check_digit(digits: str) -> str:
    """Return the Luhn check digit that completes ``digits``."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    """Tell whether ``number`` (digits only) ends with a valid Luhn check digit."""
    return (
        len(number) > 1
        and number.isdigit()
        and luhn_check_digit(number[:-1]) == number[-1]
    )


def mac_address(serial: str, oui: str = DINSTAR_OUI) -> str:
    """A MAC address derived from ``serial`` under the vendor prefix ``oui``."""
    digest = hashlib.sha256(serial.encode()).hexdigest().upper()
    return "-".join([oui, digest[0:2], digest[2:4], digest[4:6]])


class HardwareFactory:
    """Makes serials, IMEIs, SIM cards and ports from one random source."""

    def __init__(self, rng: random.Random, clock: Callable[[], datetime]) -> None:
        """Draw from ``rng``; date SIM credit from ``clock``."""
        self.rng = rng
        self.clock = clock

    def digits(self, count: int) -> str:
        """``count`` random decimal digits."""
        return "".join(str(self.rng.randrange(10)) for _ in range(count))

    def serial(self) -> str:
        """A serial number, ``dc00-xxxx-xxxx-xxxx``."""
        groups = [f"{self.rng.randrange(0x10000):04x}" for _ in range(3)]
        return "-".join(["dc00", *groups])

    def imei(self, module_type: ModuleType) -> str:
        """An IMEI with a plausible TAC and a valid Luhn digit."""
        body = _TACS.get(module_type, _TACS[ModuleType.GSM]) + self.digits(6)
        return body + luhn_check_digit(body)

    def sim(self, operator: Operator | None = None) -> SimCard:
        """A SIM card of ``operator`` (random when omitted)."""
        op = operator if operator is not None else self.rng.choice(OPERATORS)
        imsi = op.mcc + op.mnc + self.digits(10)
        iccid_body = "8944" + op.mnc.rjust(2, "0") + self.digits(13)
        iccid = iccid_body + luhn_check_digit(iccid_body)
        # Some SIMs do not store their own number: the gateway then reports "".
        number = "" if self.rng.random() < 0.15 else "+4479" + self.digits(8)
        return SimCard(
            imsi=imsi,
            iccid=iccid,
            number=number,
            smsc=op.smsc,
            operator=op.name,
            # Derived, not drawn, so that the random sequence stays as it was.
            balance=int(imsi[-4:]) / 100,
            valid_until=self.clock().date() + timedelta(days=VALIDITY_DAYS),
        )

    def port(self, index: int, slot_count: int) -> tuple[SimPort, RegState | None]:
        """Port ``index`` with ``slot_count`` slots, and the state it starts in.

        A realistic mix: in every group of eight ports one has no SIM
        (``no_sim``) and one keeps searching for a network (``searching``,
        weak signal); the others start registered (``None``: as built).
        """
        module_type = ModuleType.LTE if (index // 2) % 2 else ModuleType.GSM
        imei = self.imei(module_type)
        slots: list[SimCard | None] = [self.sim()]
        slots.extend(
            self.sim() if self.rng.random() < 0.6 else None
            for _ in range(slot_count - 1)
        )
        base = self.rng.randint(12, 28)
        daily_minutes = self.rng.choice((60, 100, 120))
        port = SimPort(
            index=index,
            module_type=module_type,
            imei=imei,
            slots=slots,
            signal=base,
            base_signal=base,
            credit=Credit(remain_daily_call_time=daily_minutes),
            credit_limits=Credit(remain_daily_call_time=daily_minutes),
        )
        if index % 8 == 3:
            port.slots = [None] * slot_count
            return port, RegState.NO_SIM
        if index % 8 == 6:
            port.base_signal = self.rng.randint(2, 8)
            port.signal = port.base_signal
            return port, RegState.SEARCHING
        return port, None
